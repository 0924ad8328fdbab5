using System.Diagnostics;

namespace KafkaSync.Engine.Link;

/// <summary>
/// Bandwidth cap: tokens (bytes) refill at a fixed rate up to a burst. A send larger than the
/// tokens on hand goes into debt and waits it off, so a frame bigger than the burst still passes
/// and the long-run rate stays exact.
/// </summary>
internal sealed class TokenBucket
{
    private readonly object _gate = new();
    private readonly double _bytesPerSecond;
    private readonly double _burst;
    private double _tokens;
    private long _stamp = Stopwatch.GetTimestamp();
    private long _throttledTicks;

    public TokenBucket(long bytesPerSecond, long burstBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burstBytes, 1);
        _bytesPerSecond = bytesPerSecond;
        _burst = burstBytes;
        _tokens = burstBytes;
    }

    public long BytesPerSecond => (long)_bytesPerSecond;

    /// <summary>Total time senders spent waiting for tokens: the adaptive level reads it as "the link is the bottleneck".</summary>
    public TimeSpan Throttled => TimeSpan.FromTicks(Interlocked.Read(ref _throttledTicks));

    public async ValueTask TakeAsync(int bytes, CancellationToken ct)
    {
        double wait;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (Stopwatch.GetElapsedTime(_stamp, now).TotalSeconds * _bytesPerSecond));
            _stamp = now;
            _tokens -= bytes;
            wait = _tokens < 0 ? -_tokens / _bytesPerSecond : 0;
        }

        if (wait > 0)
        {
            var delay = TimeSpan.FromSeconds(wait);
            Interlocked.Add(ref _throttledTicks, delay.Ticks);
            await Task.Delay(delay, ct);
        }
    }
}
