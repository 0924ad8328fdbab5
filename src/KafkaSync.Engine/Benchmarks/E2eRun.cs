namespace KafkaSync.Engine.Benchmarks;

/// <summary>One contender of the end-to-end benchmark.</summary>
/// <param name="Name">What ran, e.g. "kafkasync" or "mirror (compression none)".</param>
/// <param name="Records">Records copied.</param>
/// <param name="Seconds">From start until the target held every record.</param>
/// <param name="WireBytes">Bytes sent toward the target.</param>
/// <param name="HowCounted">How <paramref name="WireBytes"/> was measured.</param>
/// <param name="CpuSeconds">Processor time the whole process used meanwhile (both clusters included).</param>
/// <param name="JitSeconds">Of that, time the runtime spent compiling code (near 0 once warmed up).</param>
/// <param name="FirstRecordSeconds">When the first record was read from the source (start-up before it).</param>
public sealed record E2eRun(string Name, long Records, double Seconds, long WireBytes, string HowCounted, double CpuSeconds, double JitSeconds, double FirstRecordSeconds)
{
    /// <summary>Records per second.</summary>
    public double RecordsPerSecond => Records / Seconds;

    /// <summary>Records per second from the first record read on: the rate at saturation, start-up left out.</summary>
    public double RecordsPerSecondAfterFirst => Records / Math.Max(Seconds - FirstRecordSeconds, 0.001);
}
