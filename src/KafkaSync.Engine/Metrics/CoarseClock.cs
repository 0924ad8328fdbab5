namespace KafkaSync.Engine.Metrics;

/// <summary>
/// Unix time in milliseconds for per-record latencies, from the cheap monotonic tick count
/// (about 6 ns a read here, against 40–90 ns for <see cref="DateTimeOffset.UtcNow"/>) re-based
/// on the wall clock once a second, so it follows clock adjustments. Resolution is the tick
/// count's: a few milliseconds.
/// </summary>
internal static class CoarseClock
{
    private static long s_offset = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Environment.TickCount64;
    private static long s_rebasedAt = Environment.TickCount64;

    public static long UnixMs
    {
        get
        {
            var tick = Environment.TickCount64;
            if (tick - Volatile.Read(ref s_rebasedAt) >= 1000)
            {
                // Two threads may re-base at once; both write a correct offset.
                Volatile.Write(ref s_offset, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - tick);
                Volatile.Write(ref s_rebasedAt, tick);
            }

            return Volatile.Read(ref s_offset) + tick;
        }
    }
}
