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
        SyncHarness.AssertSame(original, copied);
        last.Terminate();
        Assert.Equal(0, await last.WaitAsync(timeout.Token));
        await source.StopAsync();
    }

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
