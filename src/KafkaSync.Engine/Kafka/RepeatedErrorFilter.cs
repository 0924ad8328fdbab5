using System.Text.RegularExpressions;
using KafkaSync.Engine.Link;

namespace KafkaSync.Engine.Kafka;

/// <summary>
/// Passes a Kafka client's error reports on to a log, each distinct one at most once per window,
/// with a count of the copies it held back. While a cluster is unreachable librdkafka reports the
/// same failure on every reconnect, and a consumer that was not polled for a while hands over all
/// the reports it queued at once (hundreds in a millisecond): the operator needs the first and a
/// count, not the flood.
/// </summary>
internal sealed partial class RepeatedErrorFilter(Action<string> log, TimeSpan window)
{
    /// <summary>How long identical reports are held back after one was passed on.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(30);

    // Few distinct reports come from one client (a line per broker and state); the cap only keeps a
    // client whose reports all differ from growing this without bound.
    private const int MaxRemembered = 256;

    private readonly object _gate = new();
    private readonly Dictionary<string, LogLimiter> _limiters = new(StringComparer.Ordinal);

    public RepeatedErrorFilter(Action<string> log)
        : this(log, DefaultWindow)
    {
    }

    /// <summary>
    /// Passes <paramref name="line"/> on, unless the same report was passed on within the window;
    /// the next copy after the window carries the count of those held back. Reports that differ
    /// only in how long a connection attempt took count as the same.
    /// </summary>
    public void Report(string line)
    {
        var key = ConnectTiming().Replace(line, "(in state $1)");
        LogLimiter? limiter;
        lock (_gate)
        {
            if (!_limiters.TryGetValue(key, out limiter))
            {
                if (_limiters.Count >= MaxRemembered)
                {
                    _limiters.Clear();
                }

                limiter = new LogLimiter(window);
                _limiters[key] = limiter;
            }
        }

        if (limiter.ShouldLog(out var heldBack, out var since))
        {
            // Outside the lock: the log may block on a slow stderr.
            log(heldBack == 0 ? line : $"{line} (and {heldBack} more time(s) in the {Configuration.Duration.Format(since)} before)");
        }
    }

    // librdkafka's "(after 0ms in state CONNECT)", "(after 1ms in state CONNECT, 2 identical error(s) suppressed)".
    [GeneratedRegex(@"\(after \d+ms in state (\w+)(, \d+ identical error\(s\) suppressed)?\)")]
    private static partial Regex ConnectTiming();
}
