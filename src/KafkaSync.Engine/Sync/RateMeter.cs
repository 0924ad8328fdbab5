using System.Diagnostics;

namespace KafkaSync.Engine.Sync;

/// <summary>Records per second over the last few seconds, from a growing count sampled about once a second.</summary>
internal sealed class RateMeter
{
    private readonly Queue<(long Ticks, long Count)> _samples = new();
    private readonly object _gate = new();
    private long _lastTicks;

    public double Sample(long count)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            // Frequent callers must not shrink the window: keep at most two samples a second.
            if (_samples.Count == 0 || Stopwatch.GetElapsedTime(_lastTicks, now) >= TimeSpan.FromMilliseconds(500))
            {
                _samples.Enqueue((now, count));
                _lastTicks = now;
            }

            while (_samples.Count > 6)
            {
                _samples.Dequeue();
            }

            var (ticks, first) = _samples.Peek();
            if (ticks == now)
            {
                return 0;
            }

            var seconds = Stopwatch.GetElapsedTime(ticks, now).TotalSeconds;
            return seconds <= 0 ? 0 : (count - first) / seconds;
        }
    }
}
