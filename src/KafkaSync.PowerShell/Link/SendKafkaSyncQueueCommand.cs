using System.Management.Automation;
using KafkaSync.PowerShell.Agents;
using KafkaSync.PowerShell.Completion;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Link;

/// <summary>
/// <para type="synopsis">Sends a disk queue to a listening receiver over the authenticated, resumable link.</para>
/// <para type="description">Runs until Ctrl+C (or, with -UntilCaughtUp, until every record present at the start is
/// acknowledged as durable by the target), reconnecting after network failures. Writes the final link status.</para>
/// <para type="description">With -AsJob it runs as a job: Receive-Job gives the final link status, Stop-Job stops it cleanly.
/// Get-KafkaSyncAgent lists it (kind Sender, named by -SourceId or the queue folder's name) and Stop-KafkaSyncAgent stops it from any session.</para>
/// <para type="description">This is the link alone, without Kafka: use it with Receive-KafkaSyncQueue to test a link or to
/// move a queue between machines. The status shows records and bytes sent, the compression ratio and the last acknowledged seq.</para>
/// </summary>
/// <example title="Send a queue once and stop">
/// <code>Send-KafkaSyncQueue -Path ./source-queue -Target backup.example.net:7070 -KeyFile /etc/kafkasync/link.key -UntilCaughtUp</code>
/// <para>Sends every record the queue holds and returns once the receiver has acknowledged them all as durable.</para>
/// </example>
/// <example title="A capped, pinned TLS link with a key from the environment">
/// <code>Send-KafkaSyncQueue ./source-queue -ConfigPath ./link-send.json -KeyEnvironmentVariable KAFKASYNC_LINK_KEY -Level 6 -LinkMbit 20 -TlsPin 3F2A9C0B7D51E8A46C2F0B9E1D7A5C3B8E6F4A2D0C9B7E5A3F1D8C6B4A2E0F9D</code>
/// <para>Takes the target and limits from the file, compresses at zstd level 6, keeps to 20 Mbit/s and accepts only the
/// target certificate with that SHA-256 thumbprint. Runs until Ctrl+C.</para>
/// </example>
/// <example title="Send in the background">
/// <code>$job = Send-KafkaSyncQueue ./source-queue backup.example.net:7070 -KeyFile /etc/kafkasync/link.key -UntilCaughtUp -AsJob
/// $job | Wait-Job | Receive-Job</code>
/// <para>Sends the queue in a job and receives the final link status once everything is acknowledged.</para>
/// </example>
/// <para type="link">Receive-KafkaSyncQueue</para>
/// <para type="link">Stop-KafkaSyncAgent</para>
/// <para type="link">New-KafkaSyncFrameDictionary</para>
/// <para type="link">about_KafkaSync_Link</para>
[Cmdlet(VerbsCommunications.Send, "KafkaSyncQueue")]
[OutputType(typeof(LinkStatus), typeof(AgentJob))]
public sealed class SendKafkaSyncQueueCommand : LinkCmdletBase
{
    /// <summary>The error id for a link failure retrying cannot fix (wrong key, TLS pin, queues that cannot be joined).</summary>
    public const string LinkFailed = nameof(LinkFailed);

    /// <summary>The error id for a queue that cannot be opened.</summary>
    public const string QueueUnavailable = nameof(QueueUnavailable);

    /// <summary>The error id for a queue path where no queue is: the sender never creates one.</summary>
    public const string QueueNotFound = nameof(QueueNotFound);

    /// <summary>The error id for -UntilCaughtUp running out of -Timeout.</summary>
    public const string CatchUpTimedOut = nameof(CatchUpTimedOut);

    /// <summary>Folder of the source disk queue.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The receiver's host:port.</summary>
    [Parameter(Position = 1)]
    public string? Target { get; set; }

    /// <summary>JSON file with the link sender options; parameters override it.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ConfigFileCompleter))]
    public string? ConfigPath { get; set; }

    /// <summary>Name of this source at the target.</summary>
    [Parameter]
    public string? SourceId { get; set; }

    /// <summary>zstd level (1-19).</summary>
    [Parameter]
    [ValidateRange(1, 19)]
    public int? Level { get; set; }

    /// <summary>Raise the level while the link is the bottleneck, lower it while compression is.</summary>
    [Parameter]
    public SwitchParameter AdaptiveLevel { get; set; }

    /// <summary>Bandwidth cap in Mbit/s.</summary>
    [Parameter]
    [ValidateRange(0.001, 100000)]
    public double? LinkMbit { get; set; }

    /// <summary>Use TLS; with -TlsPin accept only those certificate SHA-256 thumbprints.</summary>
    [Parameter]
    public SwitchParameter Tls { get; set; }

    /// <summary>SHA-256 thumbprints of target certificates to accept (implies -Tls).</summary>
    [Parameter]
    public string[] TlsPin { get; set; } = [];

    /// <summary>Stop once every record in the queue at the start is acknowledged.</summary>
    [Parameter]
    public SwitchParameter UntilCaughtUp { get; set; }

    /// <summary>With -UntilCaughtUp: give up after this many seconds, stop the link cleanly and write a CatchUpTimedOut error. No limit when omitted.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>Run as a background job: Receive-Job gives the final link status, Stop-Job stops the link cleanly.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        LinkSenderOptions options;
        LinkKey key;
        try
        {
            options = BuildOptions();
            key = ResolveKey();
        }
        catch (OptionsException ex)
        {
            WriteError(new ErrorRecord(ex, InvalidLinkOptions, ErrorCategory.InvalidArgument, Path));
            return;
        }

        var path = ResolvePath(Path)!;
        if (!Directory.Exists(path))
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No queue at '{path}': the folder does not exist. Send-KafkaSyncQueue sends an existing queue and never creates one."), QueueNotFound, ErrorCategory.ObjectNotFound, Path));
            return;
        }

        var name = options.SourceId ?? System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path));
        var job = AsJob ? new AgentJob(MyInvocation.Line, "KafkaSync send " + name, name) : null;
        DiskQueue? queue = null;
        try
        {
            queue = DiskQueue.Open(new DiskQueueOptions { Path = path, Create = false });
            var log = new CmdletLog();
            var sender = LinkSender.WithLog(queue, options, key, job?.Log ?? log);
            var last = queue.DurableSeq;
            var registration = Register(AgentKind.Sender, name, path);
            if (job is not null)
            {
                var owned = queue;
                queue = null;
                job.Start(
                    async ct =>
                    {
                        using (owned)
                        {
                            return await SendAsync(sender, last, ct) ? throw CatchUpTimeout(last, sender) : sender.Status;
                        }
                    },
                    () => LinkCmdletRunner.Describe(sender.Status),
                    ex => Failure(ex, options, path),
                    registration);
                JobRepository.Add(job);
                WriteObject(job);
                return;
            }

            using (registration)
            {
                // Stop-KafkaSyncAgent from another session stops the link as Ctrl+C does.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(StopToken, registration.StopRequested);
                var timedOut = false;
                var run = Task.Run(async () => timedOut = await SendAsync(sender, last, stop.Token));
                LinkCmdletRunner.Run(this, run, () => sender.Status, $"Sending {path} to {options.Target}", log);
                if (timedOut)
                {
                    WriteError(Failure(CatchUpTimeout(last, sender), options, path));
                    return;
                }
            }

            PipelineWrites.WriteSummary(this, sender.Status);
        }
        catch (Exception ex) when (ex is LinkException or QueueException or IOException or UnauthorizedAccessException)
        {
            job?.Dispose();
            WriteError(Failure(ex, options, path));
        }
        finally
        {
            queue?.Dispose();
        }
    }

    /// <summary>Sends until <paramref name="stop"/>, or with -UntilCaughtUp until seq <paramref name="last"/> is acknowledged; true when -Timeout ran out first.</summary>
    private async Task<bool> SendAsync(LinkSender sender, long last, CancellationToken stop)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var sending = sender.RunAsync(done.Token);
        var timedOut = false;
        if (UntilCaughtUp)
        {
            var limit = Timeout is { } seconds ? Task.Delay(TimeSpan.FromSeconds(seconds), done.Token) : Task.Delay(System.Threading.Timeout.Infinite, done.Token);
            var caughtUp = sender.WaitForAckedAsync(last, done.Token);
            timedOut = await Task.WhenAny(sending, caughtUp, limit) == limit && !limit.IsCanceled;
            await done.CancelAsync();
        }

        await sending;
        return timedOut;
    }

    private TimeoutException CatchUpTimeout(long last, LinkSender sender) =>
        new($"Seq {last} was not acknowledged within {Timeout} s; acknowledged up to {sender.Status.AckedSeq}.");

    private static ErrorRecord Failure(Exception ex, LinkSenderOptions options, string path) => ex switch
    {
        LinkException => new ErrorRecord(ex, LinkFailed, ErrorCategory.ConnectionError, options.Target),
        TimeoutException => new ErrorRecord(ex, CatchUpTimedOut, ErrorCategory.OperationTimeout, path),
        _ => new ErrorRecord(ex, QueueUnavailable, ErrorCategory.ResourceUnavailable, path),
    };

    private LinkSenderOptions BuildOptions()
    {
        var options = ConfigPath is not null
            ? ConfigValues.Load<LinkSenderOptions>(ResolvePath(ConfigPath)!)
            : new LinkSenderOptions { Target = Target ?? throw new OptionsException("Target", "give -Target host:port or a -ConfigPath file with a target.") };
        options = options with
        {
            Target = Target ?? options.Target,
            SourceId = SourceId ?? options.SourceId,
            Frames = Level is { } level ? options.Frames with { Level = level } : options.Frames,
            AdaptiveLevel = AdaptiveLevel.IsPresent || options.AdaptiveLevel,
            BandwidthBytesPerSecond = LinkMbit is { } mbit ? (long)(mbit * 1_000_000 / 8) : options.BandwidthBytesPerSecond,
        };
        if (Tls.IsPresent || TlsPin.Length > 0)
        {
            options = options with { Tls = (options.Tls ?? new LinkTlsOptions()) with { PinnedSha256 = TlsPin.Length > 0 ? TlsPin : options.Tls?.PinnedSha256 ?? [] } };
        }

        options.Validate();
        return options;
    }
}
