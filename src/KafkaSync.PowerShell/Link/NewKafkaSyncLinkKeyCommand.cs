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
/// <example title="Make a key file for both agents">
/// <code>New-KafkaSyncLinkKey -Path /etc/kafkasync/link.key</code>
/// <para>Writes 32 random bytes as base64 to a file only its owner can read; copy the same file to the other site
/// and name it in both configs' linkKeyFile (or pass -LinkKeyFile).</para>
/// </example>
/// <example title="A key for one session, as a credential">
/// <code>$key = New-KafkaSyncLinkKey -AsCredential
/// Start-KafkaSyncTarget -ConfigPath target.json -LinkCredential $key -AsJob
/// Start-KafkaSyncSource -ConfigPath source.json -LinkCredential $key -AsJob</code>
/// <para>Both agents in this session share a fresh key that never touches the disk.</para>
/// </example>
/// <example title="Replace a key">
/// <code>New-KafkaSyncLinkKey -Path ./link.key -Force -WhatIf</code>
/// <para>An existing key file is replaced only with -Force; -WhatIf shows what would happen. Every peer then needs the new key.</para>
/// </example>
/// <para type="link">Start-KafkaSyncSource</para>
/// <para type="link">Start-KafkaSyncTarget</para>
/// <para type="link">about_KafkaSync_Link</para>
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
