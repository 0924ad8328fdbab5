using System.Management.Automation;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Link;

/// <summary>
/// <para type="synopsis">Listens for a source and appends what it sends to a disk queue, acknowledging only durable records.</para>
/// <para type="description">Runs until Ctrl+C. One source at a time feeds the queue; a bad connection is closed with its
/// reason in the status's LastError while the listener keeps serving. Writes the final link status.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "KafkaSyncQueue")]
[OutputType(typeof(LinkStatus))]
public sealed class ReceiveKafkaSyncQueueCommand : PSCmdlet, IDisposable
{
    /// <summary>The error id for bad parameters or config.</summary>
    public const string InvalidLinkOptions = nameof(InvalidLinkOptions);

    /// <summary>The error id for a queue that cannot be opened or an address that cannot be bound.</summary>
    public const string ReceiverUnavailable = nameof(ReceiverUnavailable);

    private readonly CancellationTokenSource _stop = new();

    /// <summary>Folder of the target disk queue.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Address and port to listen on, e.g. 0.0.0.0:7070.</summary>
    [Parameter(Position = 1)]
    public string? Listen { get; set; }

    /// <summary>The pre-shared key as the credential's password (the user name is ignored).</summary>
    [Parameter]
    public PSCredential? Credential { get; set; }

    /// <summary>File holding the pre-shared key.</summary>
    [Parameter]
    public string? KeyFile { get; set; }

    /// <summary>Environment variable holding the pre-shared key.</summary>
    [Parameter]
    public string? KeyEnvironmentVariable { get; set; }

    /// <summary>JSON file with the link receiver options; parameters override it.</summary>
    [Parameter]
    public string? ConfigPath { get; set; }

    /// <summary>Use TLS with this certificate file (PEM or PFX).</summary>
    [Parameter]
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of -CertificatePath, when the certificate file holds none.</summary>
    [Parameter]
    public string? CertificateKeyPath { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        LinkReceiverOptions options;
        LinkKey key;
        try
        {
            options = ConfigPath is not null
                ? ConfigFile.Load<LinkReceiverOptions>(Resolve(ConfigPath)!)
                : new LinkReceiverOptions { Listen = Listen ?? throw new OptionsException("Listen", "give -Listen host:port or a -ConfigPath file with listen.") };
            options = options with { Listen = Listen ?? options.Listen };
            if (CertificatePath is not null)
            {
                options = options with { Tls = new LinkTlsOptions { CertificatePath = Resolve(CertificatePath), KeyPath = Resolve(CertificateKeyPath) } };
            }

            options.Validate();
            key = LinkKeyParameters.Resolve(Credential, Resolve(KeyFile), KeyEnvironmentVariable);
        }
        catch (OptionsException ex)
        {
            WriteError(new ErrorRecord(ex, InvalidLinkOptions, ErrorCategory.InvalidArgument, Path));
            return;
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            using var queue = DiskQueue.Open(new DiskQueueOptions { Path = path });
            var receiver = new LinkReceiver(queue, options, key);
            receiver.Start();
            WriteVerbose($"Listening on {receiver.LocalEndpoint}");
            LinkCmdletRunner.Run(this, receiver.RunAsync(_stop.Token), () => receiver.Status, $"Receiving into {path} on {receiver.LocalEndpoint}");
            WriteObject(receiver.Status);
        }
        catch (Exception ex) when (ex is QueueException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or OptionsException)
        {
            WriteError(new ErrorRecord(ex, ReceiverUnavailable, ErrorCategory.ResourceUnavailable, path));
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    private string? Resolve(string? path) => path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
