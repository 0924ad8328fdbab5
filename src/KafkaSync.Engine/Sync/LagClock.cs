using System.Diagnostics;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Sync;

/// <summary>The lag in seconds, recomputed at most once a second (it reads a record from the queue).</summary>
internal sealed class LagClock
{
    private readonly object _gate = new();
    private long _computedAt;
    private double _seconds;

    public double Get(DiskQueue? queue, long doneSeq, bool running)
    {
        if (queue is null || !running)
        {
            return 0;
        }

        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (_computedAt != 0 && Stopwatch.GetElapsedTime(_computedAt, now) < TimeSpan.FromSeconds(1))
            {
                return _seconds;
            }

            _computedAt = now;
            try
            {
                _seconds = AgentRunner.LagSeconds(queue, doneSeq);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or QueueException or InvalidDataException)
            {
                _seconds = 0;
            }

            return _seconds;
        }
    }
}
