using System.Net;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Serves the link into the target queue and produces the queue to the target cluster in seq
/// order per partition. While the target cluster is down it keeps receiving into the queue (up
/// to its capacity, then the link waits) and produces once the cluster returns. In exactly-once
/// mode every batch and its seq checkpoint commit in one Kafka transaction.
/// </summary>
public sealed class TargetAgent : ISyncAgent
{
    private readonly TargetAgentOptions _options;
    private readonly IProgress<string>? _log;
    private readonly AgentCounters _counters = new();
    private readonly RateMeter _rate = new();
    private readonly LagClock _lag = new();
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DiskQueue? _queue;
    private LinkReceiver? _receiver;
    private TargetProducer? _producer;
    private AgentState _state = AgentState.Starting;
    private LostRecordsFinder? _lost;
    private DateTimeOffset _started;
    private Metrics.MetricsEndpoint? _metrics;

    /// <summary>Creates the agent; checks the options at once.</summary>
    /// <param name="options">The agent's settings.</param>
    /// <param name="log">Receives progress messages; may be null.</param>
    /// <exception cref="OptionsException">A setting is wrong.</exception>
    public TargetAgent(TargetAgentOptions options, IProgress<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // The bundled librdkafka, not a system one: in the CLI host nothing else loads it first.
        Kafka.KafkaClients.EnsureLoaded();
        _options = options;
        _log = log;
    }

    /// <summary>Completes with the address the link listens on once it does (useful with port 0).</summary>
    public Task<IPEndPoint> Listening => _listening.Task;

    /// <summary>The offset map as of its last durable flush (empty before the producer starts).</summary>
    public Offsets.OffsetMap OffsetMap => _producer?.OffsetMap ?? Offsets.OffsetMap.Empty;

    /// <summary>The agent's current numbers; safe to call from any thread.</summary>
    public AgentStatus Status => Snapshot();

    /// <inheritdoc />
    public void CheckLinkKey() => AgentLinkKey.Resolve(_options.LinkKey, _options.LinkKeyFile, _options.LinkKeyEnvironmentVariable);

    /// <summary>The URL of the <c>/metrics</c> endpoint once it serves (useful with port 0); null while metrics are off or not yet started.</summary>
    public Uri? MetricsUrl => Volatile.Read(ref _metrics)?.Url;

    /// <summary>Runs the agent until <paramref name="ct"/> is cancelled; returns the final status.</summary>
    /// <exception cref="OptionsException">The link key or another setting cannot be used.</exception>
    /// <exception cref="AgentException">Kafka refused a record for good, or the producer was fenced by another agent of the same name.</exception>
    public async Task<AgentStatus> RunAsync(CancellationToken ct)
    {
        var key = AgentLinkKey.Resolve(_options.LinkKey, _options.LinkKeyFile, _options.LinkKeyEnvironmentVariable);
        _started = DateTimeOffset.UtcNow;
        try
        {
            await using var queue = _queue = AgentRunner.OpenQueue(_options.Queue, _log);
            _lost = new LostRecordsFinder(null);
            AgentRunner.ReportQueueState(queue, _lost, _log);
            var receiver = _receiver = new LinkReceiver(queue, _options.Link!, key, new ProgressLogger(_log, "link: "));
            var lost = _lost;
            receiver.GapDeclared += range => lost.CaptureBefore(queue, range);
            try
            {
                receiver.Start();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                throw new AgentException($"Cannot listen on {_options.Link!.Listen}: {ex.Message}. Check link.listen (address and a free port).", ex);
            }

            await using var metrics = StartMetrics(queue);
            _listening.TrySetResult(receiver.LocalEndpoint!);
            _log?.Report($"Listening for the source on {receiver.LocalEndpoint}.");
            var producer = _producer = new TargetProducer(_options, queue, _counters, _log);
            var stages = new List<Func<CancellationToken, Task>> { receiver.RunAsync, stop => AgentRunner.LongRunning(() => producer.Run(stop)) };
            if (_options.GroupSync is not null)
            {
                stages.Add(new Offsets.GroupSyncLoop(_options, () => producer.OffsetMap, _counters, _log).RunAsync);
            }

            await AgentRunner.RunAsync(
                _options.Queue.Path,
                Snapshot,
                state => _state = state,
                _counters,
                error => error,
                ct,
                [.. stages]);
            return Snapshot();
        }
        catch (Exception ex)
        {
            _listening.TrySetException(ex);
            throw;
        }
    }

    private Metrics.MetricsEndpoint? StartMetrics(DiskQueue queue)
    {
        if (!_options.Metrics.Enabled)
        {
            return null;
        }

        var endpoint = Metrics.AgentMetrics.Start(_options.Metrics, "target", _options.Name, Snapshot, () => _receiver?.Status, queue, _counters);
        Volatile.Write(ref _metrics, endpoint);
        _log?.Report($"Metrics on {endpoint.Url}.");
        return endpoint;
    }

    private AgentStatus Snapshot()
    {
        var queue = _queue;
        var link = _receiver?.Status;
        var done = _producer?.DoneSeq ?? 0;
        long nextSeq = 0, firstSeq = 0;
        double lag = 0;
        try
        {
            nextSeq = queue?.NextSeq ?? 0;
            firstSeq = queue?.FirstSeq ?? 0;
            lag = _lag.Get(queue, done, _state == AgentState.Running);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or QueueException or InvalidDataException)
        {
            // The queue closed under us at stop; report what we have.
        }

        return new AgentStatus
        {
            Role = "target",
            Name = _options.Name,
            State = _state,
            LinkState = link is null ? "none" : link.State.ToString().ToLowerInvariant(),
            QueuePath = _options.Queue.Path,
            FirstSeq = firstSeq,
            NextSeq = nextSeq,
            DoneSeq = done,
            LagRecords = Math.Max(0, nextSeq - 1 - done),
            LagSeconds = lag,
            RecordsIn = link?.Records ?? 0,
            RecordsOut = _counters.RecordsOut,
            RecordsPerSecond = _rate.Sample(_counters.RecordsOut),
            BytesIn = link?.RawBytes ?? 0,
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
}
