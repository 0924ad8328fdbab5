using System.Text.Json;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class ExactlyOnce_TargetKilled(ITestOutputHelper output)
{
    private static readonly string[] Topics = ["a", "b"];

    [Fact]
    public async Task Target_agent_killed_at_random_points_in_exactly_once_mode_neither_loses_nor_doubles()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 4);
        harness.Target.CreateTopic("__kafkasync_checkpoints", 1);
        await harness.ProduceAsync(Topics, 4, 30_000, 0, timeout.Token);
        var port = AgentRun.FreePort();
        var options = harness.TargetOptions() with
        {
            Link = new() { Listen = $"127.0.0.1:{port}" },
            ExactlyOnce = true,
            MaxTransactionRecords = 2_000,
        };
        var config = Path.Combine(harness.Folder, "target.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(options, ConfigFile.Json), timeout.Token);
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{port}", Topics), timeout.Token);

        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        for (var kill = 0; kill < 4; kill++)
        {
            using var host = HostProcess.Start("target", "--config", config);
            var statusPath = AgentStatusFile.PathFor(options.Queue.Path);
            // Kill once it has produced something new, after a random extra delay: mid-transaction,
            // between transactions, or while the link is still catching up.
            var before = kill == 0 ? 0 : AgentStatusFile.Read(options.Queue.Path).DoneSeq;
            var produced = kill < 2 ? 30_000 : 40_000;
            await AgentRun.WaitUntilAsync(
                () => host.HasExited || (File.Exists(statusPath) && WrittenBy(options.Queue.Path, host.Id)
                    && (TryDone(options.Queue.Path) > before || (source.StatusOf().RecordsIn == produced && TryDone(options.Queue.Path) >= source.StatusOf().NextSeq - 1))),
                timeout.Token);
            Assert.False(host.HasExited, host.Output);
            await Task.Delay(random.Next(0, 400), timeout.Token);
            host.Kill();
            await host.WaitAsync(timeout.Token);
            output.WriteLine($"killed after seq {TryDone(options.Queue.Path)}");
            if (kill == 1)
            {
                await harness.ProduceAsync(Topics, 4, 10_000, 30_000, timeout.Token);
            }
        }

        using var last = HostProcess.Start("target", "--config", config);
        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 4, 40_000, timeout.Token, readCommitted: true, quiet: TimeSpan.FromSeconds(3)));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 4, 40_000, timeout.Token));
        // librdkafka 2.0.2's mock cluster writes no transaction markers: records of a transaction
        // that a kill left open (and the next start aborted) stay visible even to read_committed
        // readers, where a real cluster hides them. So the check here is: nothing lost, order
        // kept, and every extra record is a replay of a run the source already delivered, at
        // most one open transaction's worth per kill.
        var replays = AssertNothingLostAndOnlyAbortedRunsReplayed(original, copied);
        var extra = copied.Values.Sum(l => l.Count) - original.Values.Sum(l => l.Count);
        output.WriteLine($"{extra} record(s) in {replays} replayed run(s) visible only because the mock keeps aborted transactions");
        Assert.InRange(extra, 0, 4 * options.MaxTransactionRecords);
        last.Terminate();
        Assert.Equal(0, await last.WaitAsync(timeout.Token));
        await source.StopAsync();
    }

    private static int AssertNothingLostAndOnlyAbortedRunsReplayed(
        Dictionary<(string Topic, int Partition), List<Confluent.Kafka.ConsumeResult<byte[]?, byte[]?>>> source,
        Dictionary<(string Topic, int Partition), List<Confluent.Kafka.ConsumeResult<byte[]?, byte[]?>>> target)
    {
        var replayed = 0;
        foreach (var (partition, expected) in source)
        {
            var want = expected.Select(Fingerprint).ToList();
            var index = want.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);
            var next = 0;
            foreach (var record in target.GetValueOrDefault(partition) ?? [])
            {
                var at = index.TryGetValue(Fingerprint(record), out var i) ? i : -1;
                Assert.True(at >= 0, $"{partition} holds a record the source never had");
                if (at == next)
                {
                    next++;
                    continue;
                }

                // A replay restarts at an earlier record; skipping ahead would be a loss.
                Assert.True(at < next, $"{partition}: record {next} of the source is missing");
                replayed++;
                next = at + 1;
            }

            Assert.Equal(want.Count, next);
        }

        return replayed;
    }

    private static string Fingerprint(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> r) =>
        Convert.ToHexString(r.Message.Key ?? []) + "|" + Convert.ToHexString(r.Message.Value ?? []) + "|" + r.Message.Timestamp.UnixTimestampMs + "|"
        + string.Join(",", r.Message.Headers.Select(h => h.Key + "=" + Convert.ToHexString(h.GetValueBytes() ?? [])));

    // A fresh process rewrites the snapshot within a second; until then it may be the dead one's.
    private static bool WrittenBy(string queue, int processId)
    {
        try
        {
            return AgentStatusFile.Read(queue).ProcessId == processId;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return false;
        }
    }

    private static long TryDone(string queue)
    {
        try
        {
            return AgentStatusFile.Read(queue).DoneSeq;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return 0;
        }
    }
}
