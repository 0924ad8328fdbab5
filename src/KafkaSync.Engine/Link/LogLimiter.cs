using System.Diagnostics;

namespace KafkaSync.Engine.Link;

/// <summary>One log line per interval for a message that can repeat at network speed; counts the lines left out.</summary>
internal sealed class LogLimiter(TimeSpan every)
{
    private readonly object _gate = new();
    private long _loggedAt;
    private int _leftOut;

    /// <summary>True when a line may be logged now; <paramref name="leftOut"/> is how many were left out since the last one.</summary>
    public bool ShouldLog(out int leftOut) => ShouldLog(out leftOut, out _);

    /// <summary>As <see cref="ShouldLog(out int)"/>; <paramref name="sinceLast"/> is how long ago the last line was logged (zero for the first).</summary>
    public bool ShouldLog(out int leftOut, out TimeSpan sinceLast)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            sinceLast = _loggedAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_loggedAt, now);
            if (_loggedAt != 0 && sinceLast < every)
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
