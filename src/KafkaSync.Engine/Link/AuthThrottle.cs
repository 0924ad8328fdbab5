using System.Diagnostics;
using System.Net;

namespace KafkaSync.Engine.Link;

/// <summary>
/// What the target allows an address that has not authenticated. Each handshake that fails before
/// the source proved the key (wrong key, garbage, timeout) doubles the time the address must wait
/// before its next connection is even read (from <see cref="FirstDelay"/> up to
/// <see cref="MaxDelay"/>); connections during that time are closed at once, before any
/// cryptography, and are not logged one by one. Each address may also hold only a few connections
/// in the handshake at a time. A successful handshake clears the address. Failure log lines are
/// kept to one per address per <see cref="LogEvery"/>, carrying the count of those left out.
/// </summary>
internal sealed class AuthThrottle
{
    /// <summary>Wait after the first failure; doubled for each further one.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait imposed: at most one guess per address in this time once it kept failing.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>At most one failure log line per address in this time.</summary>
    public static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    /// <summary>Connections one address may hold in the handshake at once.</summary>
    public const int MaxPendingPerAddress = 4;

    /// <summary>Addresses remembered at most; the longest idle goes first, so a spread-out attack cannot grow the table without bound.</summary>
    private const int MaxAddresses = 4096;

    /// <summary>An address with no failure for this long is forgotten.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);

    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, Entry> _entries = [];

    /// <summary>
    /// Called on accept: true when the connection may go on to the handshake (and then counts as
    /// pending for its address until <see cref="Finished"/>); false when the address is waiting out a
    /// back-off or already holds <see cref="MaxPendingPerAddress"/> handshakes.
    /// </summary>
    public bool TryAdmit(IPAddress address)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            var entry = Get(address, now);
            if (now < entry.BlockedUntil || entry.Pending >= MaxPendingPerAddress)
            {
                entry.Refused++;
                entry.Suppressed++;
                return false;
            }

            entry.Pending++;
            if (entry.Failures > 0)
            {
                // An address that failed before gets one handshake per wait, not one per parallel connection.
                entry.BlockedUntil = now + Ticks(Delay(entry.Failures));
            }

            return true;
        }
    }

    /// <summary>The handshake of an admitted connection ended; <paramref name="authenticated"/> says how.</summary>
    public void Finished(IPAddress address, bool authenticated)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            var entry = Get(address, now);
            entry.Pending = Math.Max(0, entry.Pending - 1);
            if (authenticated)
            {
                entry.Failures = 0;
                entry.BlockedUntil = 0;
                return;
            }

            entry.Failures++;
            entry.Suppressed++;
            entry.BlockedUntil = Math.Max(entry.BlockedUntil, now + Ticks(Delay(entry.Failures)));
        }
    }

    private static TimeSpan Delay(int failures)
    {
        var delay = FirstDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < MaxDelay ? delay : MaxDelay;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>An admitted connection ended without a verdict on its address (the target is stopping, or full): no penalty.</summary>
    public void Abandon(IPAddress address)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(address, out var entry))
            {
                entry.Pending = Math.Max(0, entry.Pending - 1);
            }
        }
    }

    /// <summary>
    /// Whether to log the latest failure of <paramref name="address"/> now. When true,
    /// <paramref name="leftOut"/> is how many failures and refusals since the last line were not logged.
    /// </summary>
    public bool ShouldLog(IPAddress address, out int leftOut)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            var entry = Get(address, now);
            leftOut = Math.Max(0, entry.Suppressed - 1);
            if (entry.LoggedAt != 0 && Stopwatch.GetElapsedTime(entry.LoggedAt, now) < LogEvery)
            {
                return false;
            }

            entry.LoggedAt = now;
            entry.Suppressed = 0;
            return true;
        }
    }

    /// <summary>Connections closed at accept without a handshake so far, over every address.</summary>
    public long Refused
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Sum(e => e.Refused);
            }
        }
    }

    private Entry Get(IPAddress address, long now)
    {
        if (_entries.TryGetValue(address, out var entry))
        {
            entry.SeenAt = now;
            return entry;
        }

        if (_entries.Count >= MaxAddresses)
        {
            Prune(now);
        }

        entry = new Entry { SeenAt = now };
        _entries[address] = entry;
        return entry;
    }

    private void Prune(long now)
    {
        foreach (var (address, entry) in _entries.Where(e => e.Value.Pending == 0 && Stopwatch.GetElapsedTime(e.Value.SeenAt, now) > ForgetAfter).ToList())
        {
            _entries.Remove(address);
        }

        if (_entries.Count >= MaxAddresses)
        {
            foreach (var (address, _) in _entries.Where(e => e.Value.Pending == 0).OrderBy(e => e.Value.SeenAt).Take(_entries.Count / 4).ToList())
            {
                _entries.Remove(address);
            }
        }
    }

    private sealed class Entry
    {
        public long SeenAt { get; set; }

        public long BlockedUntil { get; set; }

        public int Failures { get; set; }

        public int Pending { get; set; }

        public int Suppressed { get; set; }

        public long LoggedAt { get; set; }

        public long Refused { get; set; }
    }
}
