using System.Management.Automation;

namespace KafkaSync.PowerShell;

/// <summary>
/// Accepts only an absolute http:// or https:// URL. Without it, PowerShell turns any text into a
/// relative <see cref="Uri"/> and the mistake surfaces later as a connection error.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateHttpUrlAttribute : ValidateArgumentsAttribute
{
    /// <inheritdoc />
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        var text = value?.ToString() ?? "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ValidationMetadataException($"'{text}' is not an http:// or https:// URL; give the service's status address, e.g. http://127.0.0.1:8086/.");
        }
    }
}
