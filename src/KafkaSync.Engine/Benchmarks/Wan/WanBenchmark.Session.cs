using System.Diagnostics;
using System.Globalization;

namespace KafkaSync.Engine.Benchmarks.Wan;

public static partial class WanBenchmark
{
    /// <summary>The running sites and what each contender run needs from them.</summary>
    private sealed class Session(WanBenchmarkOptions options, WanNetwork network, BenchProcess source, BenchProcess target, string sourceBootstrap, string targetBootstrap, string folder, TextWriter output)
    {
        /// <summary>Records that must cross before the fixed rate starts.</summary>
        private const int WarmRecords = 2_000;

        private readonly string _keyFile = WriteKey(folder);

        public async Task<WanRun> RunAsync(int index, string name, string compression, CancellationToken ct)
        {
            var kafkaSync = name == "kafkasync";

            // Saturation: the whole backlog is in the source before the contender starts.
            var prefix = $"b{index}";
            await PrepareAsync(prefix, ct);
            var produced = await source.AskAsync($"backlog {prefix} {compression} {options.Records}", ct);
            await output.WriteLineAsync($"  {name}: backlog of {options.Records:N0} records ({compression} batches) produced in {produced[3..]} s");
            Saturation saturation;
            using (var contender = Start(kafkaSync, prefix, 0))
            {
                saturation = await WatchAsync(contender, prefix, options.Records, long.MaxValue, ct);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {name}: backlog drained at {saturation.RecordsPerSecond:N0} records/s, link {saturation.Utilisation:P0}; now {options.Rate:N0} records/s for {options.LatencySeconds} s"));

            // Latency: the contender is up and idle before the first record is produced.
            prefix = $"r{index}";
            await PrepareAsync(prefix, ct);
            var count = options.Rate * options.LatencySeconds;
            (long P50, long P99) latency;
            using (var contender = Start(kafkaSync, prefix, 1))
            {
                // Started processes take seconds to be ready on a busy machine: a first batch
                // must arrive before the rate starts, and latency counts from 2 s after it starts.
                await source.AskAsync($"backlog {prefix} {compression} {WarmRecords}", ct);
                await WatchAsync(contender, prefix, WarmRecords, long.MaxValue, ct);
                var from = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 2_000;
                var watching = WatchAsync(contender, prefix, WarmRecords + count, from, ct);
                var producing = source.AskAsync($"rate {prefix} {compression} {options.Rate} {options.LatencySeconds}", ct);
                await producing;
                latency = (await watching).Latency;
            }

            var run = new WanRun(name, saturation.RecordsPerSecond, saturation.BytesTowardTarget, saturation.BytesTowardSource, saturation.Utilisation,
                saturation.SourceCpu, saturation.TargetCpu, saturation.SourceRss, saturation.TargetRss, latency.P50, latency.P99);
            await output.WriteLineAsync(Line(run));
            return run;
        }

        private async Task PrepareAsync(string prefix, CancellationToken ct)
        {
            await source.AskAsync($"topics {prefix}", ct);
            await target.AskAsync($"topics {prefix}", ct);
        }

        private Contender Start(bool kafkaSync, string prefix, int port)
        {
            var self = options.SelfCommand;
            if (!kafkaSync)
            {
                return new Contender(null, BenchProcess.Start("mirror", WanNetwork.InNamespace(network.TargetNamespace, [.. self, "bench", "wan-site", "mirror", "--source-bootstrap", sourceBootstrap, "--target-bootstrap", targetBootstrap, "--prefix", prefix])));
            }

            var linkPort = WanSite.LinkPort + port;
            var targetConfig = Path.Combine(folder, prefix + "-target.json");
            File.WriteAllText(targetConfig, Json(new Dictionary<string, object>
            {
                ["name"] = "wan-" + prefix,
                ["kafka"] = new Dictionary<string, object> { ["bootstrapServers"] = targetBootstrap },
                ["queue"] = new Dictionary<string, object> { ["path"] = Path.Combine(folder, prefix + "-target") },
                ["link"] = new Dictionary<string, object> { ["listen"] = $"127.0.0.1:{linkPort}" },
                ["linkKeyFile"] = _keyFile,
                ["createTopics"] = false,
            }));
            var sourceConfig = Path.Combine(folder, prefix + "-source.json");
            File.WriteAllText(sourceConfig, Json(new Dictionary<string, object>
            {
                ["name"] = "wan-" + prefix,
                ["kafka"] = new Dictionary<string, object>
                {
                    ["bootstrapServers"] = sourceBootstrap,
                    ["settings"] = new Dictionary<string, string> { ["fetch.wait.max.ms"] = FetchWaitMaxMs.ToString(CultureInfo.InvariantCulture) },
                },
                ["topics"] = new Dictionary<string, object> { ["names"] = WanSite.Topics(prefix).Select(t => t.Topic).ToArray() },
                ["queue"] = new Dictionary<string, object> { ["path"] = Path.Combine(folder, prefix + "-source") },
                ["link"] = LinkSection(linkPort),
                ["linkKeyFile"] = _keyFile,
            }));
            var targetAgent = BenchProcess.Start("target agent", WanNetwork.InNamespace(network.TargetNamespace, [.. self, "target", "--config", targetConfig]));
            var sourceAgent = BenchProcess.Start("source agent", WanNetwork.InNamespace(network.SourceNamespace, [.. self, "source", "--config", sourceConfig]));
            return new Contender(sourceAgent, targetAgent);
        }

        /// <summary>Follows the target site's count until <paramref name="count"/> records arrived, sampling link, CPU and count at each report.</summary>
        private async Task<Saturation> WatchAsync(Contender contender, string prefix, int count, long fromUnixMs, CancellationToken ct)
        {
            // The first sample is taken before anything moved, so bytes and CPU cover the whole run.
            var samples = new List<Sample> { Sample.Take(0, network, contender) };
            await target.SendAsync($"watch {prefix} {count} {fromUnixMs}");
            Sample? first = null;
            // Generous: the slowest contender at the cap, uncompressed, three times over, plus start-up.
            var deadline = Stopwatch.StartNew();
            var limit = TimeSpan.FromSeconds(60 + 3.0 * count * 500 * 8 / (options.Mbit * 1e6) + options.LatencySeconds);
            while (true)
            {
                string line;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    wait.CancelAfter(TimeSpan.FromSeconds(1));
                    try
                    {
                        line = await target.ReadLineAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        line = "";
                    }
                }

                contender.ThrowIfEnded();
                if (deadline.Elapsed > limit)
                {
                    throw new InvalidOperationException($"the run of {prefix} did not finish within {limit.TotalSeconds:0} s; {contender.Describe()}");
                }

                if (line.Length == 0)
                {
                    continue;
                }

                var words = line.Split(' ');
                if (words[0] == "n")
                {
                    var sample = Sample.Take(int.Parse(words[1], CultureInfo.InvariantCulture), network, contender);
                    samples.Add(sample);
                    // Data flows once more than the handshakes and metadata crossed the link.
                    if (first is null && sample.TowardTarget - samples[0].TowardTarget >= 64 << 10)
                    {
                        first = sample;
                    }

                    continue;
                }

                if (words[0] != "done")
                {
                    throw new InvalidOperationException($"the target site answered '{line}'");
                }

                var end = Sample.Take(count, network, contender);
                samples.Add(end);
                first ??= samples[0];
                var start = samples[0];
                return new Saturation(
                    count / Math.Max(1e-3, Stopwatch.GetElapsedTime(first.At, end.At).TotalSeconds),
                    (double)(end.TowardTarget - start.TowardTarget) / count,
                    (double)(end.TowardSource - start.TowardSource) / count,
                    LinkUtilisation(samples),
                    // From when data flowed, as records/s: start-up (compiling, connecting) is
                    // paid once by a long-running process, not per record.
                    (end.SourceCpu - first.SourceCpu) * 1e6 / count,
                    (end.TargetCpu - first.TargetCpu) * 1e6 / count,
                    contender.Source?.PeakRssBytes() ?? 0,
                    contender.Target.PeakRssBytes(),
                    (long.Parse(words[2], CultureInfo.InvariantCulture), long.Parse(words[3], CultureInfo.InvariantCulture)));
            }
        }

        /// <summary>
        /// The link's rate toward the target, as a share of the cap, between the moments 10% and 90%
        /// of the run's bytes had crossed it: how full the link was while the backlog moved, whether
        /// or not the target's side had caught up with it yet.
        /// </summary>
        private double LinkUtilisation(List<Sample> samples)
        {
            var start = samples[0].TowardTarget;
            var total = samples[^1].TowardTarget - start;
            var from = samples.First(s => s.TowardTarget - start >= total / 10);
            var to = samples.First(s => s.TowardTarget - start >= total - total / 10);
            var seconds = Stopwatch.GetElapsedTime(from.At, to.At).TotalSeconds;
            return seconds <= 0 ? 0 : (to.TowardTarget - from.TowardTarget) * 8 / seconds / (options.Mbit * 1e6);
        }

        private System.Text.Json.Nodes.JsonObject LinkSection(int port)
        {
            var link = new System.Text.Json.Nodes.JsonObject { ["target"] = $"127.0.0.1:{port}", ["adaptiveLevel"] = true };
            if (options.LinkSettings is { } extra)
            {
                foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(extra)!.AsObject())
                {
                    link[key] = value?.DeepClone();
                }
            }

            return link;
        }

        private static string WriteKey(string folder)
        {
            var path = Path.Combine(folder, "link.key");
            File.WriteAllText(path, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            return path;
        }
    }

    /// <summary>A contender's processes: the source-side one (none for the mirror) and the target-side one.</summary>
    private sealed class Contender(BenchProcess? source, BenchProcess target) : IDisposable
    {
        public BenchProcess? Source => source;

        public BenchProcess Target => target;

        public void ThrowIfEnded()
        {
            foreach (var child in new[] { source, target })
            {
                if (child is { HasExited: true })
                {
                    throw new InvalidOperationException($"the {child.Name} ended early: {child.Errors()}");
                }
            }
        }

        /// <summary>The tail of each process's stderr, for a failure message.</summary>
        public string Describe() => string.Join("; ", new[] { source, target }.OfType<BenchProcess>().Select(c => $"{c.Name}: {c.Errors()}"));

        public void Dispose()
        {
            source?.Dispose();
            target.Dispose();
        }
    }

    private sealed record Sample(int Records, long At, long TowardTarget, long TowardSource, double SourceCpu, double TargetCpu)
    {
        public static Sample Take(int records, WanNetwork network, Contender contender) => new(
            records,
            Stopwatch.GetTimestamp(),
            network.BytesTowardTarget(),
            network.BytesTowardSource(),
            contender.Source?.CpuSeconds() ?? 0,
            contender.Target.CpuSeconds());
    }

    private sealed record Saturation(double RecordsPerSecond, double BytesTowardTarget, double BytesTowardSource, double Utilisation,
        double SourceCpu, double TargetCpu, long SourceRss, long TargetRss, (long P50, long P99) Latency);
}
