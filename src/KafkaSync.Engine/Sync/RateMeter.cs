using System.Diagnostics;

namespace KafkaSync.Engine.Sync;

/// <summary>Records per second over the last few seconds, from a growing count sampled about once a second.</summary>
internal sealed class RateMeter
{
    private readonly Queue<(long Ticks, long Count)> _samples = new();
    private readonly object _gate = new();

    public double Sample(long count)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            _samples.Enqueue((now, count));
            while (_samples.Count > 6)
            {
                _samples.Dequeue();
            }

            var (ticks, first) = _samples.Peek();
            var seconds = Stopwatch.GetElapsedTime(ticks, now).TotalSeconds;
            return seconds <= 0 ? 0 : (count - first) / seconds;
        }
    }
}
