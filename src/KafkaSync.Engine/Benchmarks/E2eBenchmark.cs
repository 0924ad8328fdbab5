using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Sync.Demo;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// `kafkasync bench e2e`: on the same embedded source cluster and data, in one run, KafkaSync end
/// to end against a MirrorMaker-style mirror (one consumer, one producer with MirrorMaker 2's
/// producer defaults: batch.size 16384, linger.ms 0, acks all), once with compression none
/// (MirrorMaker's default) and once with zstd. Each contender writes to a fresh target cluster.
/// </summary>
public static partial class E2eBenchmark
{
    private static readonly string[] Topics = ["sensors", "orders", "clicks"];
    private const int Partitions = 4;

    /// <summary>Records each contender copies per unmeasured warm-up pass.</summary>
    public const int DefaultWarmupRecords = 50_000;

    /// <summary>Warm-up passes at most, should the runtime never stop compiling.</summary>
    private const int MaxWarmupPasses = 6;

    /// <summary>A warm-up pass that spent less than this share of its CPU compiling ends the warm-up.</summary>
    private const double SettledJitShare = 0.05;

    /// <summary>Measured rounds by default: each lasts about a second, so one round's ratios move with the machine's noise.</summary>
    public const int DefaultRounds = 3;

    /// <summary>
    /// Runs the contenders <paramref name="rounds"/> times and returns each round's runs in
    /// order: kafkasync, mirror none, mirror zstd, and with <paramref name="exactlyOnce"/>
    /// kafkasync in exactly-once mode.
    /// </summary>
    /// <param name="records">Records to copy.</param>
    /// <param name="log">Receives progress lines.</param>
    /// <param name="ct">Cancels the run.</param>
    /// <param name="metrics">Serve both agents' /metrics and scrape them every second while the records flow (to measure what metrics cost).</param>
    /// <param name="warmupRecords">Records each contender copies per unmeasured warm-up pass, on clusters of their own (0: no warm-up).</param>
    /// <param name="rounds">Measured rounds, each on fresh clusters (1 to 20).</param>
    /// <param name="exactlyOnce">Also run KafkaSync with the target agent in exactly-once mode, on the same data in the same round.</param>
    public static async Task<IReadOnlyList<IReadOnlyList<E2eRun>>> RunAsync(int records, IProgress<string>? log, CancellationToken ct, bool metrics = false, int warmupRecords = DefaultWarmupRecords, int rounds = DefaultRounds, bool exactlyOnce = false)
    {
        new DemoOptions { Records = records, Topics = Topics.Length, Partitions = Partitions }.Validate();
        Configuration.OptionsException.ThrowIfOutOfRange("--rounds", rounds, 1, 20);
        if (warmupRecords > 0)
        {
            await WarmUpAsync(warmupRecords, log, metrics, exactlyOnce, ct);
        }

        var results = new List<IReadOnlyList<E2eRun>>(rounds);
        for (var round = 1; round <= rounds; round++)
        {
            log?.Report($"Round {round} of {rounds}:");
            var runs = await RunContendersAsync(records, log, metrics, exactlyOnce, ct);
            log?.Report("  " + Summary(runs));
            if (exactlyOnce)
            {
                log?.Report("  " + ExactlyOnceSummary([runs]));
            }

            results.Add(runs);
        }

        return results;
    }

    /// <summary>
    /// The contenders share one process, and the runtime compiles code as it first runs and again,
    /// optimised, once it proves hot: ZstdSharp's block compressors alone take a second of CPU.
    /// Unwarmed, that work lands in whichever contender runs while it happens (KafkaSync's run
    /// paid about a third of its CPU-seconds for it). Agents run for days, so the steady state is
    /// what an operator pays for: all contenders run unmeasured until a pass compiles little.
    /// </summary>
    private static async Task WarmUpAsync(int records, IProgress<string>? log, bool metrics, bool exactlyOnce, CancellationToken ct)
    {
        for (var pass = 1; pass <= MaxWarmupPasses; pass++)
        {
            var (cpu, jit) = (Cpu(), Jit());
            await RunContendersAsync(records, null, metrics, exactlyOnce, ct);
            var share = (Jit() - jit) / Math.Max(Cpu() - cpu, 0.001);
            log?.Report(string.Create(CultureInfo.InvariantCulture, $"Warm-up pass {pass}: every contender copied {records:N0} records (not measured); {share:P0} of the CPU went to compiling code."));
            if (share < SettledJitShare)
            {
                return;
            }
        }
    }

    private static async Task<IReadOnlyList<E2eRun>> RunContendersAsync(int records, IProgress<string>? log, bool metrics, bool exactlyOnce, CancellationToken ct)
    {
        using var source = new EmbeddedKafka(brokers: 3);
        foreach (var topic in Topics)
        {
            source.CreateTopic(topic, Partitions);
        }

        // All data is in the source before any contender starts, so each reads the same records
        // from the same place and no consumer group join races a producer (see the mock cluster's cap).
        log?.Report($"Filling the source with {records:N0} sample records over {Topics.Length} topics x {Partitions} partitions...");
        await Task.Run(() => SampleTraffic.Produce(source.BootstrapServers, Topics, Partitions, 0, records, ct), ct);

        var runs = new List<E2eRun>
        {
            await RunKafkaSyncAsync(source, records, log, metrics, exactlyOnce: false, ct),
            await Task.Run(() => RunMirror(source, records, "none", log, ct), ct),
            await Task.Run(() => RunMirror(source, records, "zstd", log, ct), ct),
        };
        if (exactlyOnce)
        {
            runs.Add(await RunKafkaSyncAsync(source, records, log, metrics, exactlyOnce: true, ct));
        }

        return runs;
    }

    /// <summary>
    /// CPU-seconds without the runtime's compiling, which the warm-up leaves only partly done: a
    /// long-running agent pays it once, not per record.
    /// </summary>
    private static double SteadyCpu(E2eRun run) => run.CpuSeconds - run.JitSeconds;

    /// <summary>One round's ratios of KafkaSync to the mirrors (CPU per record without compiling).</summary>
    public static string Summary(IReadOnlyList<E2eRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var (throughput, afterFirst, wire, wireVsZstd, cpu) = Ratios(runs);
        return string.Create(CultureInfo.InvariantCulture,
            $"e2e-vs-mirror: throughput {throughput:0.00}, wire {wire:0.000}, wire-vs-zstd-mirror {wireVsZstd:0.000}, cpu-per-record {cpu:0.00}, throughput-after-first-record {afterFirst:0.00}");
    }

    /// <summary>The closing line: each ratio's median over the rounds.</summary>
    public static string Summary(IReadOnlyList<IReadOnlyList<E2eRun>> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        var ratios = rounds.Select(Ratios).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"e2e-vs-mirror (median of {ratios.Count} round{(ratios.Count == 1 ? "" : "s")}): throughput {Median(ratios.Select(r => r.Throughput)):0.00}, wire {Median(ratios.Select(r => r.Wire)):0.000}, wire-vs-zstd-mirror {Median(ratios.Select(r => r.WireVsZstd)):0.000}, cpu-per-record {Median(ratios.Select(r => r.Cpu)):0.00}, throughput-after-first-record {Median(ratios.Select(r => r.AfterFirst)):0.00}");
    }

    /// <summary>
    /// What exactly-once mode costs: its run against KafkaSync's default (idempotent) run and
    /// against the plain mirror, each ratio's median over the rounds.
    /// </summary>
    public static string ExactlyOnceSummary(IReadOnlyList<IReadOnlyList<E2eRun>> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        var ratios = rounds.Select(runs =>
        {
            var (ours, plain, exact) = (runs[0], runs[1], runs[3]);
            return (VsIdempotent: exact.RecordsPerSecond / ours.RecordsPerSecond, CpuVsIdempotent: SteadyCpu(exact) / SteadyCpu(ours),
                VsMirror: exact.RecordsPerSecond / plain.RecordsPerSecond, CpuVsMirror: SteadyCpu(exact) / exact.Records / (SteadyCpu(plain) / plain.Records));
        }).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"e2e-exactly-once (median of {ratios.Count} round{(ratios.Count == 1 ? "" : "s")}): throughput-vs-idempotent {Median(ratios.Select(r => r.VsIdempotent)):0.00}, cpu-per-record-vs-idempotent {Median(ratios.Select(r => r.CpuVsIdempotent)):0.00}, throughput-vs-mirror {Median(ratios.Select(r => r.VsMirror)):0.00}, cpu-per-record-vs-mirror {Median(ratios.Select(r => r.CpuVsMirror)):0.00}");
    }

    /// <summary>
    /// KafkaSync against the plain mirror. Throughput is over the whole run, start-up included
    /// (KafkaSync's two agents start inside it; the mirror's clients are built just before);
    /// after-first-record is from each contender's first record read, the rate at saturation.
    /// </summary>
    private static (double Throughput, double AfterFirst, double Wire, double WireVsZstd, double Cpu) Ratios(IReadOnlyList<E2eRun> runs)
    {
        var (ours, plain, zstd) = (runs[0], runs[1], runs[2]);
        return (ours.RecordsPerSecond / plain.RecordsPerSecond, ours.RecordsPerSecondAfterFirst / plain.RecordsPerSecondAfterFirst,
            (double)ours.WireBytes / plain.WireBytes, (double)ours.WireBytes / zstd.WireBytes,
            SteadyCpu(ours) / ours.Records / (SteadyCpu(plain) / plain.Records));
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count).</summary>
    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static async Task<E2eRun> RunKafkaSyncAsync(EmbeddedKafka source, int records, IProgress<string>? log, bool metrics, bool exactlyOnce, CancellationToken ct)
    {
        var name = exactlyOnce ? "kafkasync exactly-once" : "kafkasync";
        var metricsOptions = new Metrics.MetricsOptions { Listen = metrics ? "127.0.0.1:0" : null };
        using var target = NewTarget();
        if (exactlyOnce)
        {
            // The embedded cluster answers no CreateTopics; an operator's cluster would let the agent make it.
            target.CreateTopic(new TargetAgentOptions().CheckpointTopic, 1);
        }

        var folder = Directory.CreateTempSubdirectory("kafkasync-bench-").FullName;
        try
        {
            var key = LinkKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), "bench key");
            var targetAgent = new TargetAgent(new TargetAgentOptions
            {
                Name = "bench-target",
                Kafka = new() { BootstrapServers = target.BootstrapServers },
                Queue = new() { Path = Path.Combine(folder, "target"), Capacity = new(2L << 30) },
                Link = new() { Listen = "127.0.0.1:0" },
                LinkKey = key,
                CreateTopics = false,
                ExactlyOnce = exactlyOnce,
                Metrics = metricsOptions,
            });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var (cpu, jit) = (Cpu(), Jit());
            var clock = Stopwatch.StartNew();
            var targetRun = targetAgent.RunAsync(stop.Token);
            var endpoint = await targetAgent.Listening.WaitAsync(ct);
            await using var relay = new LoopbackRelay(new IPEndPoint(IPAddress.Loopback, endpoint.Port));
            var sourceAgent = new SourceAgent(new SourceAgentOptions
            {
                Name = "bench-source",
                GroupId = exactlyOnce ? "bench-kafkasync-exactly-once" : "bench-kafkasync",
                Kafka = new() { BootstrapServers = source.BootstrapServers },
                Topics = new() { Names = Topics },
                Queue = new() { Path = Path.Combine(folder, "source"), Capacity = new(2L << 30) },
                Link = new() { Target = relay.Endpoint },
                LinkKey = key,
                Metrics = metricsOptions,
            });
            var sourceRun = sourceAgent.RunAsync(stop.Token);
            var milestones = new Milestones(name, clock, log);
            using var scraper = metrics ? new HttpClient() : null;
            var scrapedAt = TimeSpan.Zero;
            var firstRecord = 0.0;
            while (targetAgent.Status.RecordsOut < records)
            {
                if (scraper is not null && clock.Elapsed - scrapedAt >= TimeSpan.FromSeconds(1))
                {
                    scrapedAt = clock.Elapsed;
                    await ScrapeAsync(scraper, sourceAgent.MetricsUrl, ct);
                    await ScrapeAsync(scraper, targetAgent.MetricsUrl, ct);
                }

                var s = sourceAgent.Status;
                if (s.RecordsIn == 0)
                {
                    // The last look that found none: the first record came after it (counted
                    // against KafkaSync, by up to this loop's 20 ms).
                    firstRecord = clock.Elapsed.TotalSeconds;
                }

                milestones.Mark("first record queued", s.RecordsIn > 0);
                milestones.Mark("all records queued", s.RecordsIn >= records);
                milestones.Mark("first record produced", targetAgent.Status.RecordsOut > 0);
                milestones.Mark("all records acknowledged over the link", s.DoneSeq >= s.NextSeq - 1 && s.RecordsIn >= records);
                if (sourceRun.IsCompleted || targetRun.IsCompleted)
                {
                    await Task.WhenAll(sourceRun, targetRun);
                    throw new AgentException("An agent stopped before the benchmark finished.");
                }

                await Task.Delay(20, ct);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var wire = relay.BytesUpstream;
            await stop.CancelAsync();
            await Task.WhenAll(sourceRun, targetRun);
            var run = new E2eRun(name, records, seconds, wire, "TCP relay in front of the target agent, source-to-target direction", Cpu() - cpu, Jit() - jit, firstRecord);
            log?.Report(Line(run));
            return run;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Reports, once each, when a stage of the KafkaSync run was reached.</summary>
    private sealed class Milestones(string contender, Stopwatch clock, IProgress<string>? log)
    {
        private readonly HashSet<string> _seen = [];

        public void Mark(string name, bool reached)
        {
            if (reached && _seen.Add(name))
            {
                log?.Report(string.Create(CultureInfo.InvariantCulture, $"  {contender}: {name} at {clock.Elapsed.TotalSeconds:0.00} s"));
            }
        }
    }

    private static async Task ScrapeAsync(HttpClient client, Uri? url, CancellationToken ct)
    {
        if (url is not null)
        {
            using var response = await client.GetAsync(url, ct);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync(ct);
        }
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static double Jit() => JitInfo.GetCompilationTime().TotalSeconds;

    internal static EmbeddedKafka NewTarget()
    {
        var target = new EmbeddedKafka(brokers: 3);
        foreach (var topic in Topics)
        {
            target.CreateTopic(topic, Partitions);
        }

        return target;
    }

    /// <summary>One result line.</summary>
    public static string Line(E2eRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return string.Create(CultureInfo.InvariantCulture,
            $"e2e {run.Name,-26} {run.Records,9:N0} records  {run.Seconds,6:0.00} s  {run.RecordsPerSecond,9:N0} records/s  {run.WireBytes,13:N0} bytes toward target  {run.CpuSeconds,5:0.0} cpu-s ({run.JitSeconds:0.0} compiling)");
    }
}
