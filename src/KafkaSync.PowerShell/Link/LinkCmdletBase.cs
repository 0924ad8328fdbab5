using System.Management.Automation;
using KafkaSync.Engine.Link;

namespace KafkaSync.PowerShell.Link;

/// <summary>
/// What the link cmdlets share: the pre-shared key parameters (exactly one of -Credential, -KeyFile or
/// -KeyEnvironmentVariable), path resolution and the Ctrl+C token their run loop stops on.
/// </summary>
public abstract class LinkCmdletBase : StoppableCmdlet
{
    /// <summary>The error id for bad parameters or config.</summary>
    public const string InvalidLinkOptions = nameof(InvalidLinkOptions);

    /// <summary>The pre-shared key as the credential's password (the user name is ignored).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>File holding the pre-shared key.</summary>
    [Parameter]
    public string? KeyFile { get; set; }

    /// <summary>Environment variable holding the pre-shared key.</summary>
    [Parameter]
    public string? KeyEnvironmentVariable { get; set; }

    /// <summary>The key from -Credential, -KeyFile or -KeyEnvironmentVariable; throws OptionsException unless exactly one is given.</summary>
    private protected LinkKey ResolveKey() => LinkKeyParameters.Resolve(Credential, ResolvePath(KeyFile), KeyEnvironmentVariable);
}
