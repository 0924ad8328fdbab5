using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Copies the selected topics of the source cluster into the source queue and sends the queue
/// over the link to the target agent. Runs until cancelled (clean stop: the batch in hand is made
/// durable, offsets are committed, the consumer leaves its group) or until an error retrying
/// cannot fix, which it throws after writing a final status.
/// </summary>
public sealed class SourceAgent : ISyncAgent
{
    private readonly SourceAgentOptions _options;
    private readonly IProgress<string>? _log;
    private readonly AgentCounters _counters = new();
    private readonly RateMeter _rate = new();
    private readonly LagClock _lag = new();
    private DiskQueue? _queue;
    private LinkSender? _sender;
    private AgentState _state = AgentState.Starting;
    private LostRecordsFinder? _lost;
    private DateTimeOffset _started;
    private Metrics.MetricsEndpoint? _metrics;

    /// <summary>Creates the agent; checks the options at once.</summary>
    /// <param name="options">The agent's settings.</param>
    /// <param name="log">Receives progress messages (Verbose in cmdlets, stderr in the host); may be null.</param>
    /// <exception cref="OptionsException">A setting is wrong.</exception>
    public SourceAgent(SourceAgentOptions options, IProgress<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // The bundled librdkafka, not a system one: in the CLI host nothing else loads it first.
        Kafka.KafkaClients.EnsureLoaded();
        _options = options;
        _log = log;
    }

    /// <summary>The agent's current numbers; safe to call from any thread.</summary>
    public AgentStatus Status => Snapshot();

    /// <inheritdoc />
    public void CheckLinkKey() => AgentLinkKey.Resolve(_options.LinkKey, _options.LinkKeyFile, _options.LinkKeyEnvironmentVariable);

    /// <summary>The URL of the <c>/metrics</c> endpoint once it serves (useful with port 0); null while metrics are off or not yet started.</summary>
    public Uri? MetricsUrl => Volatile.Read(ref _metrics)?.Url;

    /// <summary>Runs the agent until <paramref name="ct"/> is cancelled; returns the final status.</summary>
    /// <exception cref="OptionsException">The link key or another setting cannot be used.</exception>
    /// <exception cref="AgentException">The cluster is unreachable, a topic is missing, or the link was refused for good.</exception>
    public async Task<AgentStatus> RunAsync(CancellationToken ct)
    {
        _log?.Report("Source agent starting.");
        var key = AgentLinkKey.Resolve(_options.LinkKey, _options.LinkKeyFile, _options.LinkKeyEnvironmentVariable);
        _started = DateTimeOffset.UtcNow;
        await using var queue = _queue = AgentRunner.OpenQueue(_options.Queue, _log);
        _lost = new LostRecordsFinder(_options.Kafka.BootstrapServers);
        AgentRunner.ReportQueueState(queue, _lost, _log);
        var link = _options.Link! with { SourceId = _options.Link!.SourceId ?? _options.Name };
        var sender = _sender = new LinkSender(queue, link, key, new ProgressLogger(_log, "link: "));
        await using var metrics = StartMetrics(queue);
        var consumer = new SourceConsumer(_options, queue, _counters, _log);
        await AgentRunner.RunAsync(
            _options.Queue.Path,
            Snapshot,
            state => _state = state,
            _counters,
            Translate,
            ct,
            stop => AgentRunner.LongRunning(() => consumer.Run(stop)),
            sender.RunAsync);
        return Snapshot();
    }

    private Metrics.MetricsEndpoint? StartMetrics(DiskQueue queue)
    {
        if (!_options.Metrics.Enabled)
        {
            return null;
        }

        var endpoint = Metrics.AgentMetrics.Start(_options.Metrics, "source", _options.Name, Snapshot, () => _sender?.Status, queue, _counters);
        Volatile.Write(ref _metrics, endpoint);
        _log?.Report($"Metrics on {endpoint.Url}.");
        return endpoint;
    }

    private static Exception Translate(Exception error) => error switch
    {
        LinkException link => new AgentException($"The link to the target was refused: {link.Message}", link),
        _ => error,
    };

    private AgentStatus Snapshot()
    {
        var queue = _queue;
        var link = _sender?.Status;
        var acked = link?.AckedSeq ?? 0;
        var nextSeq = SafeRead(() => queue?.NextSeq ?? 0);
        return new AgentStatus
        {
            Role = "source",
            Name = _options.Name,
            State = _state,
            LinkState = link is null ? "none" : link.State.ToString().ToLowerInvariant(),
            QueuePath = _options.Queue.Path,
            FirstSeq = SafeRead(() => queue?.FirstSeq ?? 0),
            NextSeq = nextSeq,
            DoneSeq = acked,
            LagRecords = Math.Max(0, nextSeq - 1 - acked),
            LagSeconds = _lag.Get(queue, acked, _state == AgentState.Running),
            RecordsIn = _counters.RecordsIn,
            RecordsOut = link?.Records ?? 0,
            RecordsPerSecond = _rate.Sample(_counters.RecordsIn),
            BytesIn = _counters.BytesIn,
            WireBytes = link?.WireBytes ?? 0,
            CompressionRatio = link?.CompressionRatio ?? 0,
            LastError = _counters.LastError ?? link?.LastError,
            Note = AgentRunner.Note(queue, _counters),
            LostSeqs = _lost?.Describe(queue) ?? [],
            Warnings = queue?.OpenNotes ?? [],
            StartedAt = _started,
            UpdatedAt = DateTimeOffset.UtcNow,
            ProcessId = Environment.ProcessId,
        };
    }

    private static long SafeRead(Func<long> read)
    {
        try
        {
            return read();
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }
}
