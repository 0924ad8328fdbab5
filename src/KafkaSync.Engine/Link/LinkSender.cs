using System.Diagnostics;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaSync.Engine.Link;

/// <summary>
/// The source side of a link: reads the source queue from the target's last durable seq, sends
/// it as frames within a window of unacknowledged bytes, moves the queue's <c>link</c> cursor as
/// acks arrive (so retention deletes only acknowledged segments), and reconnects with capped,
/// jittered exponential backoff whenever the connection fails.
/// </summary>
public sealed partial class LinkSender
{
    private readonly DiskQueue _source;
    private readonly LinkSenderOptions _options;
    private readonly LinkKey _key;
    private static readonly TimeSpan CursorSaveInterval = TimeSpan.FromMilliseconds(100);

    private readonly ILogger _logger;
    private readonly LinkEndpoint _target;
    private readonly string _sourceId;
    private readonly TokenBucket? _bucket;
    private readonly AdaptiveLevel _level;
    private readonly object _statusGate = new();
    private readonly object _cursorGate = new();
    private readonly SemaphoreSlim _ackedSignal = new(0);
    private LinkStatus _status;
    private long _generation;
    private long _cursorSavedAt;
    private int _trailingSavePending;
    private long _wireBytesDone;
    private LinkConnection? _current;

    /// <summary>
    /// Creates a sender that reports what it does as lines of text to <paramref name="log"/>, for hosts
    /// that show text (the cmdlets' Verbose stream) and should not depend on a logging library.
    /// </summary>
    public static LinkSender WithLog(DiskQueue source, LinkSenderOptions options, LinkKey key, IProgress<string>? log) =>
        new(source, options, key, log is null ? null : new Sync.ProgressLogger(log, string.Empty));

    /// <summary>Creates a sender for <paramref name="source"/>; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <exception cref="OptionsException">An option is invalid.</exception>
    public LinkSender(DiskQueue source, LinkSenderOptions options, LinkKey key, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(key);
        options.Validate();
        _source = source;
        _options = options;
        _key = key;
        _logger = logger ?? NullLogger.Instance;
        _target = LinkEndpoint.Parse(options.Target, "target");
        _sourceId = options.SourceId ?? $"{Environment.MachineName}:{Path.GetFullPath(source.Directory)}";
        _bucket = options.BandwidthBytesPerSecond > 0
            ? new TokenBucket(options.BandwidthBytesPerSecond, Math.Max(64 << 10, options.BandwidthBytesPerSecond / 20))
            : null;
        _level = new AdaptiveLevel(options.Frames.Level, options.AdaptiveLevel, options.MinLevel, options.MaxLevel, options.Frames.TargetFrameBytes, options.Frames.MaxFrameRawBytes);
        if (!source.Cursors.ContainsKey(options.CursorName))
        {
            // Retention follows the slowest cursor that exists: register this one before any
            // other cursor moves, or records never sent could be retired.
            source.SetCursor(options.CursorName, Math.Max(0, source.FirstSeq - 1));
        }

        _status = new LinkStatus { State = LinkState.Idle, Level = _level.Level, AckedSeq = source.GetCursor(options.CursorName) };
    }

    /// <summary>A snapshot of the sender's numbers and state.</summary>
    public LinkStatus Status
    {
        get
        {
            var live = Volatile.Read(ref _current)?.BytesSent ?? 0;
            lock (_statusGate)
            {
                return _status with { WireBytes = Interlocked.Read(ref _wireBytesDone) + live };
            }
        }
    }

    /// <summary>
    /// Sends until <paramref name="ct"/> is cancelled, reconnecting after every transient failure.
    /// Returns when cancelled; throws <see cref="LinkException"/> on a failure retrying cannot fix
    /// (wrong key, protocol version, TLS pin mismatch, queues that cannot be joined).
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = new ReconnectBackoff(_options.ReconnectInitialDelay, _options.ReconnectMaxDelay);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                Update(s => s with { State = LinkState.Connecting, Peer = null });
                try
                {
                    await RunSessionAsync(backoff, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (LinkException ex)
                {
                    Fail(ex);
                    if (!ex.IsTransient)
                    {
                        throw;
                    }
                }

                var delay = backoff.NextDelay();
                Update(s => s with { State = LinkState.Backoff, Peer = null });
                LogRetry(_logger, Duration.Format(delay), backoff.Failures, null);
                await Task.Delay(delay, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            SaveCursor(force: true);
            Update(s => s with { State = LinkState.Stopped, Peer = null });
        }
    }

    /// <summary>
    /// Waits until the target has acknowledged every seq up to <paramref name="seq"/> as durable, over
    /// a connection this sender made (so a wrong key or an unreachable target never counts as caught up).
    /// </summary>
    public async Task WaitForAckedAsync(long seq, CancellationToken ct)
    {
        while (Status is var s && (s.Connections == 0 || s.AckedSeq < seq))
        {
            await _ackedSignal.WaitAsync(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    private void Acked(long seq)
    {
        var moved = false;
        Update(s =>
        {
            moved = seq > s.AckedSeq;
            return moved ? s with { AckedSeq = seq } : s;
        });
        if (moved)
        {
            SaveCursor(force: false);
            if (_ackedSignal.CurrentCount == 0)
            {
                _ackedSignal.Release();
            }
        }
    }

    /// <summary>
    /// Persists the cursor at most every 100 ms: each save is an fsync. An ack that falls inside the
    /// interval is saved when it ends, so the last acks before the flow stops (a full queue waiting
    /// for space is such a moment) never stay unpersisted and hold back retention.
    /// </summary>
    private void SaveCursor(bool force)
    {
        var now = Stopwatch.GetTimestamp();
        if (!force && Stopwatch.GetElapsedTime(Interlocked.Read(ref _cursorSavedAt), now) < CursorSaveInterval)
        {
            if (Interlocked.Exchange(ref _trailingSavePending, 1) == 0)
            {
                _ = SaveCursorLaterAsync();
            }

            return;
        }

        Interlocked.Exchange(ref _cursorSavedAt, now);
        var acked = Status.AckedSeq;
        lock (_cursorGate)
        {
            if (acked > _source.GetCursor(_options.CursorName))
            {
                try
                {
                    _source.SetCursor(_options.CursorName, acked);
                }
                catch (IOException ex) when (DiskSpace.IsFull(ex))
                {
                    // The queue's status says the disk is full; try again shortly.
                    if (Interlocked.Exchange(ref _trailingSavePending, 1) == 0)
                    {
                        _ = SaveCursorLaterAsync();
                    }
                }
            }
        }
    }

    private async Task SaveCursorLaterAsync()
    {
        await Task.Delay(CursorSaveInterval);
        Interlocked.Exchange(ref _trailingSavePending, 0);
        try
        {
            SaveCursor(force: true);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
            // The queue closed after the sender's final save, or the disk refused: the next ack
            // or the stop saves again.
        }
    }

    private void Fail(LinkException ex)
    {
        Update(s => s with { LastError = $"{ex.Failure}: {ex.Message}", LastErrorAt = DateTimeOffset.UtcNow, Failures = s.Failures + 1 });
        LogFailure(_logger, ex.Failure, ex.Message, null);
    }

    private void Update(Func<LinkStatus, LinkStatus> change)
    {
        lock (_statusGate)
        {
            _status = change(_status);
        }
    }

    private static readonly Action<ILogger, LinkFailure, string, Exception?> LogFailure =
        LoggerMessage.Define<LinkFailure, string>(LogLevel.Warning, new EventId(1, "LinkFailed"), "Link connection failed ({Failure}): {Reason}");

    private static readonly Action<ILogger, string, int, Exception?> LogRetry =
        LoggerMessage.Define<string, int>(LogLevel.Information, new EventId(2, "LinkRetry"), "Reconnecting in {Delay} (attempt {Attempt})");

    private static readonly Action<ILogger, string, Exception?> LogGapSent =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(4, "LinkGapSent"), "Seqs {Seqs} are recorded as lost in the source queue; told the target to pass over them");

    private static readonly Action<ILogger, string, long, Exception?> LogConnected =
        LoggerMessage.Define<string, long>(LogLevel.Information, new EventId(3, "LinkConnected"), "Connected to {Peer}; resuming at seq {Seq}");
}
