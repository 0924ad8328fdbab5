namespace KafkaSync.Engine.Benchmarks.Memory;

/// <summary>
/// One running agent of `bench memory`: its process (resident memory from /proc) and its
/// <c>/metrics</c> endpoint (queue positions, queue bytes, managed heap).
/// </summary>
internal sealed class AgentProbe(BenchProcess process, string metricsAddress, HttpClient http) : IDisposable
{
    public BenchProcess Process => process;

    /// <summary>The latest values read from the endpoint (zeros until the first scrape answered).</summary>
    public AgentReading Last { get; private set; } = AgentReading.None;

    /// <summary>Reads resident memory and, if the endpoint answers in time, the metrics; keeps the last metrics otherwise.</summary>
    public async Task<AgentReading> ReadAsync(CancellationToken ct)
    {
        var rss = process.HasExited ? 0 : process.RssBytes();
        var file = process.HasExited ? 0 : process.RssFileBytes();
        var reading = Last with { Rss = rss, RssFile = file };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var text = await http.GetStringAsync(new Uri($"http://{metricsAddress}/metrics"), timeout.Token);
            reading = new AgentReading(
                rss,
                file,
                (long)(PrometheusText.Value(text, "dotnet_total_memory_bytes") ?? 0),
                (long)(PrometheusText.Value(text, "kafkasync_queue_next_seq") ?? 1) - 1,
                (long)(PrometheusText.Value(text, "kafkasync_queue_done_seq") ?? 0),
                (long)(PrometheusText.Value(text, "kafkasync_queue_bytes") ?? 0));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            // Starting, stopping or too busy to answer within the interval: memory still counts.
        }

        Last = reading;
        return reading;
    }

    public void Dispose() => process.Dispose();
}

/// <summary>What one look at an agent found.</summary>
/// <param name="Rss">Resident bytes (VmRSS); 0 if the process was not running.</param>
/// <param name="RssFile">The file-backed part of <paramref name="Rss"/> (libraries, mapped files).</param>
/// <param name="GcHeap">Bytes the managed heap holds (GC.GetTotalMemory).</param>
/// <param name="Appended">Records appended to its queue since it was created (next seq − 1).</param>
/// <param name="Done">Highest seq done: acked by the target (source) or delivered to Kafka (target).</param>
/// <param name="QueueBytes">Bytes its queue's segments hold on disk.</param>
internal sealed record AgentReading(long Rss, long RssFile, long GcHeap, long Appended, long Done, long QueueBytes)
{
    public static AgentReading None { get; } = new(0, 0, 0, 0, 0, 0);
}
