namespace KafkaSync.Engine.Link;

/// <summary>
/// Capped exponential backoff with jitter: each failed attempt doubles the delay up to the cap,
/// and the delay actually used is drawn from the upper half of it, so many sources cut by the same
/// outage do not reconnect in lockstep, yet none waits longer than the cap.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private int _failures;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
    }

    public int Failures => _failures;

    public TimeSpan NextDelay()
    {
        var exponent = Math.Min(_failures, 30);
        _failures++;
        var ceiling = Math.Min(_max.Ticks, _initial.Ticks * (1L << Math.Min(exponent, 20)));
        var jittered = (ceiling / 2) + (long)(Random.Shared.NextDouble() * (ceiling / 2));
        return TimeSpan.FromTicks(Math.Max(0, jittered));
    }

    public void Reset() => _failures = 0;
}
