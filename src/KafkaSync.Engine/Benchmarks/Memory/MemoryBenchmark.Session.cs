using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace KafkaSync.Engine.Benchmarks.Memory;

public static partial class MemoryBenchmark
{
    /// <summary>The running clusters, agents, producer and sampler of one run, and its phases.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

        private readonly MemoryBenchmarkOptions _options;
        private readonly string _folder;
        private readonly TextWriter _output;
        private readonly BenchProcess _sourceCluster;
        private readonly BenchProcess _targetCluster;
        private readonly string _sourceBootstrap;
        private readonly string _targetBootstrap;
        private readonly HttpClient _http = new();
        private readonly MemoryTraffic _traffic;
        private readonly List<MemorySample> _samples = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly CancellationTokenSource _stopSampling = new();
        private readonly string _targetConfig;
        private readonly string _targetMetrics;
        private AgentProbe _source = null!;
        private AgentProbe? _target;
        private Task _sampling = Task.CompletedTask;

        private Session(MemoryBenchmarkOptions options, string folder, TextWriter output, BenchProcess sourceCluster, string sourceBootstrap, BenchProcess targetCluster, string targetBootstrap)
        {
            _options = options;
            _folder = folder;
            _output = output;
            _sourceCluster = sourceCluster;
            _sourceBootstrap = sourceBootstrap;
            _targetCluster = targetCluster;
            _targetBootstrap = targetBootstrap;
            _traffic = new MemoryTraffic(sourceBootstrap, Topic, options.Partitions, options.ValueBytes);
            _targetMetrics = $"127.0.0.1:{FreePort()}";
            _targetConfig = Path.Combine(folder, "target.json");
        }

        public static async Task<Session> StartAsync(MemoryBenchmarkOptions options, string folder, TextWriter output, CancellationToken ct)
        {
            string[] Cluster() => [.. options.SelfCommand, "bench", "memory-cluster", "--partitions", options.Partitions.ToString(CultureInfo.InvariantCulture)];
            var sourceCluster = BenchProcess.Start("source cluster", Cluster(), LogFile(options, "source-cluster"));
            BenchProcess? targetCluster = null;
            try
            {
                var sourceBootstrap = await sourceCluster.ReadLineAsync(ct);
                targetCluster = BenchProcess.Start("target cluster", Cluster(), LogFile(options, "target-cluster"));
                var targetBootstrap = await targetCluster.ReadLineAsync(ct);
                var session = new Session(options, folder, output, sourceCluster, sourceBootstrap, targetCluster, targetBootstrap);
                session.StartAgents();
                return session;
            }
            catch
            {
                targetCluster?.Dispose();
                sourceCluster.Dispose();
                throw;
            }
        }

        public async Task<MemoryResult> RunAsync(CancellationToken ct)
        {
            var o = _options;
            await Say($"memory: both agents (kafkasync source/target) and both embedded clusters (3 brokers each) are processes of their own; RSS is VmRSS from /proc every {SampleInterval.TotalMilliseconds:0} ms; {o.Partitions} partitions, {o.ValueBytes:N0}-byte values; the target producer's buffer is {MemoryBenchmarkOptions.ProducerBufferBytes >> 20} MiB");
            _sampling = SampleAsync(_stopSampling.Token);

            // 1. Baseline: a small steady flow; its second half is the reference.
            var flowStart = Mark();
            var perSecond = o.BaselineMiBPerSecond * (1 << 20) / o.ValueBytes;
            var until = TimeSpan.FromSeconds(o.BaselineSeconds);
            await ProduceAsync(_ => _clock.Elapsed - At(flowStart) >= until, perSecond, ct);
            var target = _target!;
            await WaitAsync(() => target.Last.Done >= _traffic.Produced, TimeSpan.FromSeconds(120), "the baseline flow to reach the target cluster", ct);
            var baselineSamples = Window(flowStart, Mark());
            var baseline = Phase($"baseline: {o.BaselineMiBPerSecond:0.##} MiB/s for {o.BaselineSeconds} s, second half", baselineSamples.Skip(baselineSamples.Count / 2).ToList());
            await Say(Line(baseline, baseline));

            // 2. Backlog: held in the source queue while the target agent is stopped, then drained.
            await target.Process.StopAsync(StopTimeout);
            target.Dispose();
            _target = null;
            var backlogRecords = Math.Max(1, ((long)o.BacklogMiB << 20) / o.ValueBytes);
            var fillStart = Mark();
            var goal = _traffic.Produced + backlogRecords;
            await ProduceAsync(n => n >= goal, 0, ct);
            await WaitAsync(() => _source.Last.Appended >= goal, TimeSpan.FromSeconds(300), "the backlog to reach the source queue", ct);
            var fill = Phase($"backlog into the source queue, target agent stopped: {backlogRecords:N0} records, {o.BacklogMiB:N0} MiB = {((double)o.BacklogMiB * (1 << 20)) / MemoryBenchmarkOptions.ProducerBufferBytes:0.#}× the producer buffer", Window(fillStart, Mark()));
            await Say(Line(fill, baseline));
            var drainStart = Mark();
            target = StartTarget();
            await WaitAsync(() => target.Last.Done >= goal, TimeSpan.FromSeconds(600), "the target agent to drain the backlog", ct);
            var drain = Phase("backlog drained by the restarted target agent", Window(drainStart, Mark()));
            await Say(Line(drain, baseline));
            var (drainPassed, drainVerdict) = await Task.Run(() => MemoryCheck.Run(_sourceBootstrap, _targetBootstrap, Topic, o.Partitions, goal, tail: false, ct), ct);
            await Say("  after the drain, " + drainVerdict);

            // 3. Target cluster down: the target queue grows; then the cluster comes back.
            var growBytes = (long)(o.GrowGiB * (1L << 30));
            var queueStart = target.Last.QueueBytes;
            var deliveredBefore = target.Last.Done;
            await TargetClusterAsync(down: true, ct);
            var outageStart = Mark();
            await Say(o.Outage == MemoryBenchmarkOptions.OutageSigstop
                ? $"  target cluster process stopped (SIGSTOP: data and ports kept, no answers); producing until the target queue grew by {growBytes >> 20:N0} MiB"
                : $"  target cluster down (all brokers: connections closed, new ones refused; data kept); producing until the target queue grew by {growBytes >> 20:N0} MiB");

            // Done once what is on its way (produced but not yet acked by the target) fills the rest of the growth.
            await ProduceAsync(n => target.Last.QueueBytes - queueStart + (n - _source.Last.Done) * o.ValueBytes >= growBytes, 0, ct);
            var total = _traffic.Produced;
            await WaitAsync(() => target.Last.Appended >= total, TimeSpan.FromSeconds(300), "every record to reach the target queue", ct);
            var outageSamples = Window(outageStart, Mark());
            var outage = Phase($"target cluster down, target queue +{(target.Last.QueueBytes - queueStart) >> 20:N0} MiB", outageSamples);
            var steps = Steps(outageSamples, (long)o.StepMiB << 20);
            foreach (var step in steps)
            {
                await Say(Line(step));
            }

            await Say(Line(outage, baseline));
            await Say(Growth(outageSamples));
            await TargetClusterAsync(down: false, ct);
            var recoveryStart = Mark();
            await WaitAsync(() => target.Last.Done >= total, TimeSpan.FromSeconds(900), "the target agent to deliver its queue", ct);
            var recovery = Phase($"target cluster back, {total - deliveredBefore:N0} queued records delivered", Window(recoveryStart, Mark()));
            await Say(Line(recovery, baseline));

            var (passed, verdict) = await Task.Run(() => MemoryCheck.Run(_sourceBootstrap, _targetBootstrap, Topic, o.Partitions, total, tail: true, ct), ct);
            await Say("  after the outage, " + verdict);
            return new MemoryResult(baseline, fill, drain, outage, recovery, steps, drainPassed && passed);
        }

        private void StartAgents()
        {
            var keyFile = Path.Combine(_folder, "link.key");
            File.WriteAllText(keyFile, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            var link = $"127.0.0.1:{FreePort()}";
            File.WriteAllText(_targetConfig, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["name"] = "memory",
                ["kafka"] = new Dictionary<string, object> { ["bootstrapServers"] = _targetBootstrap },
                ["queue"] = new Dictionary<string, object> { ["path"] = Path.Combine(_folder, "target") },
                ["link"] = new Dictionary<string, object> { ["listen"] = link },
                ["linkKeyFile"] = keyFile,
                ["createTopics"] = false,
                ["metrics"] = new Dictionary<string, object> { ["listen"] = _targetMetrics },
            }));
            var sourceConfig = Path.Combine(_folder, "source.json");
            var sourceMetrics = $"127.0.0.1:{FreePort()}";
            File.WriteAllText(sourceConfig, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["name"] = "memory",
                ["kafka"] = new Dictionary<string, object>
                {
                    ["bootstrapServers"] = _sourceBootstrap,
                    // The embedded cluster answers an empty fetch only after this wait (see bench wan).
                    ["settings"] = new Dictionary<string, string> { ["fetch.wait.max.ms"] = "10" },
                },
                ["topics"] = new Dictionary<string, object> { ["names"] = new[] { Topic } },
                ["queue"] = new Dictionary<string, object> { ["path"] = Path.Combine(_folder, "source") },
                ["link"] = new Dictionary<string, object> { ["target"] = link },
                ["linkKeyFile"] = keyFile,
                ["metrics"] = new Dictionary<string, object> { ["listen"] = sourceMetrics },
            }));
            StartTarget();
            _source = new AgentProbe(BenchProcess.Start("source agent", [.. _options.SelfCommand, "source", "--config", sourceConfig, .. Verbose()], LogFile(_options, "source-agent")), sourceMetrics, _http);
        }

        private AgentProbe StartTarget() =>
            _target = new AgentProbe(BenchProcess.Start("target agent", [.. _options.SelfCommand, "target", "--config", _targetConfig, .. Verbose()], LogFile(_options, "target-agent")), _targetMetrics, _http);

        /// <summary>Takes the target cluster down or brings it back, as <see cref="MemoryBenchmarkOptions.Outage"/> says.</summary>
        private async Task TargetClusterAsync(bool down, CancellationToken ct)
        {
            if (_options.Outage == MemoryBenchmarkOptions.OutageSigstop)
            {
                _targetCluster.Signal(down ? ProcessSignal.Stop : ProcessSignal.Continue);
                return;
            }

            var answer = await _targetCluster.AskAsync(down ? "down" : "up", ct);
            if (answer != "ok")
            {
                throw new InvalidOperationException($"the target cluster answered '{answer}' to '{(down ? "down" : "up")}'");
            }
        }

        private string[] Verbose() => _options.Logs is null ? [] : ["--verbose"];

        private static string? LogFile(MemoryBenchmarkOptions options, string name)
        {
            if (options.Logs is null)
            {
                return null;
            }

            Directory.CreateDirectory(options.Logs);
            return Path.Combine(options.Logs, name + ".log");
        }

        private Task ProduceAsync(Func<long, bool> done, double perSecond, CancellationToken ct) =>
            _traffic.RunAsync(done, perSecond, _options.LagBudgetRecords, _ =>
            {
                ThrowIfEnded();
                return Task.FromResult(_source.Last.Appended);
            }, ct);

        /// <summary>Reads both agents every <see cref="SampleInterval"/> until stopped.</summary>
        private async Task SampleAsync(CancellationToken ct)
        {
            using var timer = new PeriodicTimer(SampleInterval);
            do
            {
                var source = _source.ReadAsync(ct);
                var target = _target is { } t ? t.ReadAsync(ct) : Task.FromResult(AgentReading.None);
                var sample = new MemorySample(_clock.Elapsed.TotalSeconds, await source, await target);
                lock (_samples)
                {
                    _samples.Add(sample);
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }

        private async Task WaitAsync(Func<bool> condition, TimeSpan limit, string what, CancellationToken ct)
        {
            var deadline = Stopwatch.StartNew();
            var told = TimeSpan.Zero;
            while (!condition())
            {
                ThrowIfEnded();
                if (deadline.Elapsed - told >= TimeSpan.FromSeconds(15))
                {
                    told = deadline.Elapsed;
                    await Say(string.Create(CultureInfo.InvariantCulture,
                        $"    waiting {told.TotalSeconds:0} s for {what}: produced {_traffic.Produced:N0}, source queue {_source.Last.Appended:N0} (acked {_source.Last.Done:N0}), target queue {_target?.Last.Appended:N0} (delivered {_target?.Last.Done:N0})"));
                }

                if (deadline.Elapsed > limit)
                {
                    throw new InvalidOperationException($"bench memory: waited {limit.TotalSeconds:0} s for {what}; source agent: {_source.Process.Errors()}; target agent: {_target?.Process.Errors()}");
                }

                await Task.Delay(100, ct);
            }
        }

        private void ThrowIfEnded()
        {
            foreach (var process in new[] { _source.Process, _target?.Process, _sourceCluster, _targetCluster })
            {
                if (process is { HasExited: true })
                {
                    throw new InvalidOperationException($"the {process.Name} ended early: {process.Errors()}");
                }
            }

            if (_sampling.IsFaulted)
            {
                _sampling.GetAwaiter().GetResult();
            }
        }

        private int Mark()
        {
            lock (_samples)
            {
                return _samples.Count;
            }
        }

        private TimeSpan At(int mark)
        {
            lock (_samples)
            {
                return mark < _samples.Count ? TimeSpan.FromSeconds(_samples[mark].Seconds) : _clock.Elapsed;
            }
        }

        private List<MemorySample> Window(int from, int to)
        {
            lock (_samples)
            {
                return _samples.Skip(from).Take(to - from).ToList();
            }
        }

        private async Task Say(string line)
        {
            await _output.WriteLineAsync(line);
            await _output.FlushAsync();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            await _stopSampling.CancelAsync();
            try
            {
                await _sampling;
            }
            catch (OperationCanceledException)
            {
            }

            // A stopped cluster would hold the target agent's clean stop up; let it answer again.
            if (!_targetCluster.HasExited)
            {
                try
                {
                    _targetCluster.Signal(ProcessSignal.Continue);
                }
                catch (InvalidOperationException)
                {
                }
            }

            foreach (var agent in new[] { _source, _target })
            {
                if (agent is not null)
                {
                    await agent.Process.StopAsync(TimeSpan.FromSeconds(10));
                    agent.Dispose();
                }
            }

            _traffic.Dispose();
            _targetCluster.Dispose();
            _sourceCluster.Dispose();
            _http.Dispose();
            _stopSampling.Dispose();
        }
    }
}
