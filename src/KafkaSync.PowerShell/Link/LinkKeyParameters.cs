using System.Management.Automation;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;

namespace KafkaSync.PowerShell.Link;

/// <summary>Turns the key parameters of the link cmdlets into a key: exactly one of credential, file or environment variable.</summary>
internal static class LinkKeyParameters
{
    public static LinkKey Resolve(PSCredential? credential, string? keyFile, string? keyEnvironmentVariable)
    {
        var given = (credential is null ? 0 : 1) + (keyFile is null ? 0 : 1) + (keyEnvironmentVariable is null ? 0 : 1);
        if (given != 1)
        {
            throw new OptionsException("key", "give exactly one of -Credential (the password is the key), -KeyFile or -KeyEnvironmentVariable.");
        }

        return credential is not null
            ? LinkKey.FromText(credential.GetNetworkCredential().Password, "Credential")
            : keyFile is not null ? LinkKey.FromFile(keyFile) : LinkKey.FromEnvironment(keyEnvironmentVariable!);
    }
}
