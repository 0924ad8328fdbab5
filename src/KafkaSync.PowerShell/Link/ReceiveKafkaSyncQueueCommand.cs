using System.Management.Automation;
using KafkaSync.PowerShell.Agents;
using KafkaSync.PowerShell.Completion;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Link;

/// <summary>
/// <para type="synopsis">Listens for a source and appends what it sends to a disk queue, acknowledging only durable records.</para>
/// <para type="description">Runs until Ctrl+C. One source at a time feeds the queue; a bad connection is closed with its
/// reason in the status's LastError while the listener keeps serving. Writes the final link status.</para>
/// <para type="description">With -AsJob it listens in a job (a port that cannot be bound fails the call itself): Receive-Job gives
/// the final link status, Stop-Job stops it. Get-KafkaSyncAgent lists it (kind Receiver, named by the queue folder's name) and
/// Stop-KafkaSyncAgent stops it from any session.</para>
/// <para type="description">This is the link alone, without Kafka: use it with Send-KafkaSyncQueue to test a link or to move
/// a queue between machines. The pre-shared key comes from exactly one of -Credential, -KeyFile or -KeyEnvironmentVariable
/// and must match the sender's.</para>
/// </summary>
/// <example title="Receive on a port with a key typed in">
/// <code>$key = Get-Credential -UserName link -Message 'link key'
/// Receive-KafkaSyncQueue -Path ./received -Listen 0.0.0.0:7070 -Credential $key</code>
/// <para>Listens on port 7070 on every address and appends what a sender with the same key sends to ./received until Ctrl+C.</para>
/// </example>
/// <example title="Receive over TLS with settings from a file">
/// <code>Receive-KafkaSyncQueue ./received -ConfigPath ./link-receive.json -KeyFile /etc/kafkasync/link.key -CertificatePath ./server.pem -CertificateKeyPath ./server.key -Verbose</code>
/// <para>Takes the listen address and limits from the file, serves TLS with the certificate and its key, and writes each
/// connection, handshake and closed connection to the Verbose stream.</para>
/// </example>
/// <example title="Receive in the background">
/// <code>$job = Receive-KafkaSyncQueue ./received 127.0.0.1:7070 -KeyFile ./link.key -Create -AsJob
/// Get-KafkaSyncAgent received
/// Stop-KafkaSyncAgent received -PassThru</code>
/// <para>Listens in a job, shows it among the running agents, then stops it as another session could.</para>
/// </example>
/// <para type="link">Send-KafkaSyncQueue</para>
/// <para type="link">Get-KafkaSyncQueue</para>
/// <para type="link">Stop-KafkaSyncAgent</para>
/// <para type="link">about_KafkaSync_Link</para>
[Cmdlet(VerbsCommunications.Receive, "KafkaSyncQueue")]
[OutputType(typeof(LinkStatus), typeof(AgentJob))]
public sealed class ReceiveKafkaSyncQueueCommand : LinkCmdletBase
{
    /// <summary>The error id for a queue that cannot be opened or an address that cannot be bound.</summary>
    public const string ReceiverUnavailable = nameof(ReceiverUnavailable);

    /// <summary>Folder of the target disk queue.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Address and port to listen on, e.g. 0.0.0.0:7070.</summary>
    [Parameter(Position = 1)]
    public string? Listen { get; set; }

    /// <summary>JSON file with the link receiver options; parameters override it.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ConfigFileCompleter))]
    public string? ConfigPath { get; set; }

    /// <summary>Use TLS with this certificate file (PEM or PFX).</summary>
    [Parameter]
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of -CertificatePath, when the certificate file holds none.</summary>
    [Parameter]
    public string? CertificateKeyPath { get; set; }

    /// <summary>Create the queue when -Path is a new or empty folder; without it the queue must exist already.</summary>
    [Parameter]
    public SwitchParameter Create { get; set; }

    /// <summary>Run as a background job: Receive-Job gives the final link status, Stop-Job stops listening.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        LinkReceiverOptions options;
        LinkKey key;
        try
        {
            options = ConfigPath is not null
                ? ConfigValues.Load<LinkReceiverOptions>(ResolvePath(ConfigPath)!)
                : new LinkReceiverOptions { Listen = Listen ?? throw new OptionsException("Listen", "give -Listen host:port or a -ConfigPath file with listen.") };
            options = options with { Listen = Listen ?? options.Listen };
            if (CertificatePath is not null)
            {
                options = options with { Tls = new LinkTlsOptions { CertificatePath = ResolvePath(CertificatePath), KeyPath = ResolvePath(CertificateKeyPath) } };
            }

            options.Validate();
            key = ResolveKey();
        }
        catch (OptionsException ex)
        {
            WriteError(new ErrorRecord(ex, InvalidLinkOptions, ErrorCategory.InvalidArgument, Path));
            return;
        }

        var path = ResolvePath(Path)!;
        var name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path));
        var job = AsJob ? new AgentJob(MyInvocation.Line, "KafkaSync receive " + name, name) : null;
        DiskQueue? queue = null;
        try
        {
            queue = DiskQueue.Open(new DiskQueueOptions { Path = path, Create = Create.IsPresent });
            var log = new CmdletLog();
            var receiver = LinkReceiver.WithLog(queue, options, key, job?.Log ?? log);
            receiver.Start();
            WriteVerbose($"Listening on {receiver.LocalEndpoint}");
            var registration = Register(AgentKind.Receiver, name, path);
            if (job is not null)
            {
                var owned = queue;
                queue = null;
                job.Start(
                    async ct =>
                    {
                        using (owned)
                        {
                            await receiver.RunAsync(ct);
                            return receiver.Status;
                        }
                    },
                    () => LinkCmdletRunner.Describe(receiver.Status),
                    ex => new ErrorRecord(ex, ReceiverUnavailable, ErrorCategory.ResourceUnavailable, path),
                    registration);
                JobRepository.Add(job);
                WriteObject(job);
                return;
            }

            using (registration)
            {
                // Stop-KafkaSyncAgent from another session stops the receiver as Ctrl+C does.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(StopToken, registration.StopRequested);
                LinkCmdletRunner.Run(this, receiver.RunAsync(stop.Token), () => receiver.Status, $"Receiving into {path} on {receiver.LocalEndpoint}", log);
            }

            PipelineWrites.WriteSummary(this, receiver.Status);
        }
        catch (Exception ex) when (ex is QueueException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or OptionsException)
        {
            job?.Dispose();
            WriteError(new ErrorRecord(ex, ReceiverUnavailable, ErrorCategory.ResourceUnavailable, path));
        }
        finally
        {
            queue?.Dispose();
        }
    }
}
