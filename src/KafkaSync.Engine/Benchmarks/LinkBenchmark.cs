using System.Diagnostics;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;
using static System.FormattableString;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// <c>kafkasync bench link</c>: generated events → source queue → link over loopback → target
/// queue, both queues on disk, real sender and receiver. Prints raw payload MB/s, records/s, the
/// compression ratio and, last, the link's wire bytes against Kafka's per-partition 16 KiB zstd
/// batches of the same records at the same level, computed in the same run.
/// </summary>
public static class LinkBenchmark
{
    /// <summary>Runs the benchmark, writing one line per figure to <paramref name="output"/>.</summary>
    public static async Task<LinkBenchmarkResult> RunAsync(LinkBenchmarkOptions options, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        var ownsFolder = options.Directory is null;
        var folder = options.Directory ?? Path.Combine(Path.GetTempPath(), "kafkasync-bench-link-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            var events = new EventGenerator(options.Seed).Take(options.Records);
            var payloads = events.Select(e => (ReadOnlyMemory<byte>)KafkaRecordSerializer.Serialize(e)).ToArray();
            var raw = payloads.Sum(p => (long)p.Length);
            var partitions = events.Select(e => (e.Topic, e.Partition)).Distinct().Count();
            var baseline = KafkaBatchBaseline.Measure(events, options.Level);
            var cap = (long)(options.LinkMbit * 1_000_000 / 8);
            output.WriteLine(Invariant($"records: {events.Length:N0} in {EventGenerator.Topics.Count} topics, {partitions} partitions; payload {raw / 1e6:F1} MB, {raw / events.Length} B per record"));
            output.WriteLine(Invariant($"link: {(options.Codec == FrameCodec.Zstd ? "zstd" : "no compression")} level {options.Level}{(options.AdaptiveLevel ? " (adaptive)" : "")}, frames of {options.FrameBytes / 1024} KiB, window {options.WindowBytes >> 20} MiB, cap {(cap > 0 ? Invariant($"{options.LinkMbit} Mbit/s") : "none")}, fsync {options.Fsync}"));
            output.WriteLine(Invariant($"kafka-batches (zstd level {options.Level}, 16 KiB per partition): {baseline.Batches:N0} batches, {baseline.CompressedBytes:N0} B, ratio {(double)raw / baseline.CompressedBytes:F2}"));

            var queueOptions = (string name) => new DiskQueueOptions { Path = Path.Combine(folder, name), Fsync = options.Fsync };
            await using var source = DiskQueue.Open(queueOptions("source"));
            await using var target = DiskQueue.Open(queueOptions("target"));
            for (var i = 0; i < payloads.Length; i += 4096)
            {
                await source.AppendBatchAsync(new ArraySegment<ReadOnlyMemory<byte>>(payloads, i, Math.Min(4096, payloads.Length - i)), ct);
            }

            var last = await source.CommitAsync(ct);
            var result = await MoveAsync(options, source, target, last, raw, baseline.CompressedBytes, ct);

            output.WriteLine(Invariant($"link (queue → loopback → queue): {result.Elapsed.TotalSeconds:F2} s, {result.RawMegabytesPerSecond:F1} MB/s raw payload, {result.RecordsPerSecond:N0} records/s"));
            output.WriteLine(Invariant($"cpu: {result.CpuTime.TotalSeconds:F2} s for both ends, {result.RawMegabytesPerCpuSecond:F1} MB raw payload per CPU-second"));
            output.WriteLine(Invariant($"compression ratio: {result.CompressionRatio:F2} (link, {result.WireBytes:N0} B on the wire{(options.AdaptiveLevel ? Invariant($", final level {result.FinalLevel}") : "")}) vs {(double)raw / baseline.CompressedBytes:F2} (kafka-batches)"));
            if (cap > 0)
            {
                // What a producer sending the baseline's bytes could push through the same cap.
                var baselineRecordsPerSecond = cap / ((double)baseline.CompressedBytes / events.Length);
                output.WriteLine(Invariant($"records/s at {options.LinkMbit} Mbit/s: link {result.RecordsPerSecond:N0} (measured), kafka-batches {baselineRecordsPerSecond:N0} (its bytes / the cap)"));
            }

            output.WriteLine(Invariant($"wire-vs-kafka-batches: {result.WireVsKafkaBatches:F3}"));
            return result;
        }
        finally
        {
            if (ownsFolder)
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<LinkBenchmarkResult> MoveAsync(LinkBenchmarkOptions options, DiskQueue source, DiskQueue target, long last, long raw, long baselineBytes, CancellationToken ct)
    {
        // The key is made up per run: the benchmark measures the link, not key handling.
        var key = LinkKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), "benchmark key");
        var frames = new FrameOptions { Codec = options.Codec, Level = options.Level, TargetFrameBytes = options.FrameBytes };
        await using var receiver = new LinkReceiver(target, new LinkReceiverOptions { Listen = "127.0.0.1:0", Frames = frames }, key);
        receiver.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var receiving = receiver.RunAsync(stop.Token);
        var sender = new LinkSender(source, new LinkSenderOptions
        {
            Target = $"127.0.0.1:{receiver.LocalEndpoint!.Port}",
            SourceId = "benchmark",
            Frames = frames,
            WindowBytes = options.WindowBytes,
            AdaptiveLevel = options.AdaptiveLevel,
            MinLevel = options.AdaptiveLevel ? Math.Min(options.Level, 1) : 1,
            MaxLevel = 19,
            BandwidthBytesPerSecond = (long)(options.LinkMbit * 1_000_000 / 8),
        }, key);

        var cpu = TimeSpan.Zero;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var sending = sender.RunAsync(stop.Token);
        try
        {
            await sender.WaitForAckedAsync(last, ct);
            clock.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        }
        finally
        {
            await stop.CancelAsync();
            await sending;
            await receiving;
        }

        var status = sender.Status;
        if (status.Records != last || target.NextSeq != last + 1)
        {
            throw new InvalidOperationException($"the link moved {status.Records:N0} records and the target holds {target.NextSeq - 1:N0}; expected {last:N0}");
        }

        return new LinkBenchmarkResult(last, raw, status.WireBytes, baselineBytes, clock.Elapsed, status.Level, cpu);
    }
}
