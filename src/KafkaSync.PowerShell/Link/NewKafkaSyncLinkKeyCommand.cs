using System.Management.Automation;
using System.Security;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;

namespace KafkaSync.PowerShell.Link;

/// <summary>
/// <para type="synopsis">Makes a pre-shared link key: 32 random bytes from the system's cryptographic source, as base64.</para>
/// <para type="description">With -Path, writes the key to a file that only its owner can read and write (mode 0600 on
/// Unix), for the agents' linkKeyFile and the -KeyFile parameters, and returns the file. With -AsCredential, returns a
/// PSCredential whose password is the key, for -LinkCredential and -Credential. The key is never written to the output as text.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "KafkaSyncLinkKey", SupportsShouldProcess = true, DefaultParameterSetName = FileSet)]
[OutputType(typeof(FileInfo), ParameterSetName = [FileSet])]
[OutputType(typeof(PSCredential), ParameterSetName = [CredentialSet])]
public sealed class NewKafkaSyncLinkKeyCommand : PSCmdlet
{
    /// <summary>The error id for a key file that exists (without -Force) or cannot be written.</summary>
    public const string KeyFileFailed = nameof(KeyFileFailed);

    private const string FileSet = "File";
    private const string CredentialSet = "Credential";

    /// <summary>The key file to create.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FileSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Replace an existing key file (every peer then needs the new key).</summary>
    [Parameter(ParameterSetName = FileSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Return the key as a PSCredential (user name 'link') instead of writing a file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    public SwitchParameter AsCredential { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (AsCredential)
        {
            var secret = new SecureString();
            foreach (var c in LinkKey.Generate())
            {
                secret.AppendChar(c);
            }

            secret.MakeReadOnly();
            WriteObject(new PSCredential("link", secret));
            return;
        }

        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(resolved, "Write a new link key"))
        {
            return;
        }

        try
        {
            LinkKey.WriteNewKeyFile(resolved, Force);
            WriteObject(new FileInfo(resolved));
        }
        catch (OptionsException ex)
        {
            WriteError(new ErrorRecord(ex, KeyFileFailed, ErrorCategory.WriteError, resolved));
        }
    }
}
