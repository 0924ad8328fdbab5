using System.Diagnostics;

namespace KafkaSync.Engine.Link;

/// <summary>One log line per interval for a message that can repeat at network speed; counts the lines left out.</summary>
internal sealed class LogLimiter(TimeSpan every)
{
    private readonly object _gate = new();
    private long _loggedAt;
    private int _leftOut;

    /// <summary>True when a line may be logged now; <paramref name="leftOut"/> is how many were left out since the last one.</summary>
    public bool ShouldLog(out int leftOut)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_loggedAt != 0 && Stopwatch.GetElapsedTime(_loggedAt, now) < every)
            {
                _leftOut++;
                leftOut = 0;
                return false;
            }

            leftOut = _leftOut;
            _leftOut = 0;
            _loggedAt = now;
            return true;
        }
    }
}
