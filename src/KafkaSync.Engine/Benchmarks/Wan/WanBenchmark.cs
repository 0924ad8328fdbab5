using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>
/// `kafkasync bench wan`: KafkaSync against a MirrorMaker-style mirror across an emulated long
/// link (see <see cref="WanNetwork"/> and <see cref="DelayRelay"/>), in one run on the same
/// generated events. Every piece is its own process in its site's namespace: the two sites (each
/// an embedded cluster plus its relays), then per contender its processes (both agents, or the
/// mirror at the target site). Each contender first drains a backlog (records/s, link bytes, CPU,
/// peak memory), then follows a fixed rate (latency).
/// </summary>
public static partial class WanBenchmark
{
    /// <summary>
    /// fetch.wait.max.ms of both contenders' source consumers. The embedded cluster answers a fetch
    /// that finds no data only after this wait, even if data arrives meanwhile (a real broker
    /// answers as soon as it does), so the default 500 ms would add up to half a second to any
    /// record produced just after an empty fetch.
    /// </summary>
    public const int FetchWaitMaxMs = 10;

    /// <summary>
    /// Runs the benchmark <see cref="WanBenchmarkOptions.Rounds"/> times on the same link and sites,
    /// writing one line per figure to <paramref name="output"/>; returns each round's runs in order:
    /// kafkasync, mirror none, mirror zstd.
    /// </summary>
    /// <exception cref="Configuration.OptionsException">A setting is out of range.</exception>
    /// <exception cref="InvalidOperationException">The machine cannot run it (see <see cref="WanPreflight"/>) or a step failed.</exception>
    public static async Task<IReadOnlyList<IReadOnlyList<WanRun>>> RunAsync(WanBenchmarkOptions options, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        if (WanPreflight.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var folder = Directory.CreateTempSubdirectory("kafkasync-wan-").FullName;
        using var network = WanNetwork.Create(options.Mbit);
        try
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"wan link: {options.Mbit:0.#} Mbit/s each way (tc tbf on a veth pair between namespaces {network.SourceNamespace} and {network.TargetNamespace}), {options.RoundTripMs} ms added round trip (user-space relays)"));
            var rtt = options.RoundTripMs.ToString(CultureInfo.InvariantCulture);
            using var source = BenchProcess.Start("source site", WanNetwork.InNamespace(network.SourceNamespace, [.. options.SelfCommand, "bench", "wan-site", "source", "--rtt-ms", rtt]));
            var sourceBootstrap = Ready(await source.ReadLineAsync(ct));
            using var target = BenchProcess.Start("target site", WanNetwork.InNamespace(network.TargetNamespace, [.. options.SelfCommand, "bench", "wan-site", "target", "--rtt-ms", rtt, "--source-bootstrap", sourceBootstrap]));
            var targetBootstrap = Ready(await target.ReadLineAsync(ct));
            var bench = new Session(options, network, source, target, sourceBootstrap, targetBootstrap, folder, output);
            var rounds = new List<IReadOnlyList<WanRun>>(options.Rounds);
            for (var round = 0; round < options.Rounds; round++)
            {
                if (options.Rounds > 1)
                {
                    await output.WriteLineAsync($"round {round + 1} of {options.Rounds}:");
                }

                // Each contender of each round has topics of its own (the cluster caps a partition's size).
                var runs = new List<WanRun> { await bench.RunAsync(round * 3, "kafkasync", "zstd", ct) };
                if (!options.KafkaSyncOnly)
                {
                    runs.Add(await bench.RunAsync((round * 3) + 1, "mirror (source none)", "none", ct));
                    runs.Add(await bench.RunAsync((round * 3) + 2, "mirror (source zstd)", "zstd", ct));
                    if (options.Rounds > 1)
                    {
                        await output.WriteLineAsync("  " + Summary(runs));
                    }
                }

                rounds.Add(runs);
            }

            return rounds;
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

    /// <summary>The closing line: KafkaSync against the mirror that fetches zstd batches.</summary>
    public static string Summary(IReadOnlyList<WanRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var (ours, zstd) = (runs[0], runs[2]);
        return string.Create(CultureInfo.InvariantCulture,
            $"wan: records-vs-zstd-mirror {ours.RecordsPerSecond / zstd.RecordsPerSecond:0.00}, latency-p99-ms {ours.LatencyP99Ms}/{zstd.LatencyP99Ms}, cpu-vs-mirror {ours.CpuPerMillion / zstd.CpuPerMillion:0.00}");
    }

    /// <summary>The closing line over several rounds: each ratio's median.</summary>
    public static string Summary(IReadOnlyList<IReadOnlyList<WanRun>> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        if (rounds.Count == 1)
        {
            return Summary(rounds[0]);
        }

        var records = E2eBenchmark.Median(rounds.Select(r => r[0].RecordsPerSecond / r[2].RecordsPerSecond));
        var ours = E2eBenchmark.Median(rounds.Select(r => (double)r[0].LatencyP99Ms));
        var mirror = E2eBenchmark.Median(rounds.Select(r => (double)r[2].LatencyP99Ms));
        var cpu = E2eBenchmark.Median(rounds.Select(r => r[0].CpuPerMillion / r[2].CpuPerMillion));
        return string.Create(CultureInfo.InvariantCulture,
            $"wan (median of {rounds.Count} rounds): records-vs-zstd-mirror {records:0.00}, latency-p99-ms {ours:0}/{mirror:0}, cpu-vs-mirror {cpu:0.00}");
    }

    /// <summary>The figures of one contender, one line.</summary>
    public static string Line(WanRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return string.Create(CultureInfo.InvariantCulture,
            $"wan {run.Name,-21} {run.RecordsPerSecond,8:N0} records/s  {run.LinkBytesPerRecord,6:0.0} link B/record (back {run.ReverseBytesPerRecord:0.0})  link {run.Utilisation,4:P0}  cpu-s/M source {run.SourceCpuPerMillion,5:0.0} target {run.TargetCpuPerMillion,5:0.0}  peak RSS MiB source {run.SourcePeakRss >> 20} target {run.TargetPeakRss >> 20}  latency p50 {run.LatencyP50Ms} ms p99 {run.LatencyP99Ms} ms");
    }

    private static string Ready(string line) =>
        line.StartsWith("ready ", StringComparison.Ordinal) ? line[6..] : throw new InvalidOperationException($"a site answered '{line}' instead of 'ready'");

    internal static string Json(object value) => JsonSerializer.Serialize(value);

    internal static double Seconds(long start) => Stopwatch.GetElapsedTime(start).TotalSeconds;
}
