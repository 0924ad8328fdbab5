using KafkaSync.Engine.Sync;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class ExactlyOnce_CleanRun(ITestOutputHelper output)
{
    private static readonly string[] Topics = ["a"];

    [Fact]
    public async Task Exactly_once_mode_copies_every_record_once_and_commits_its_checkpoint()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var harness = new SyncHarness();
        harness.CreateTopics(Topics, partitions: 2);
        harness.Target.CreateTopic("__kafkasync_checkpoints", 1);
        await harness.ProduceAsync(Topics, 2, 5_000, 0, timeout.Token);
        var log = new TestLog(output);
        var agent = new TargetAgent(harness.TargetOptions() with { ExactlyOnce = true, MaxTransactionRecords = 1_000 }, log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var run = agent.RunAsync(stop.Token);
        var endpoint = await agent.Listening.WaitAsync(timeout.Token);
        using var source = AgentRun.StartSource(harness.SourceOptions($"127.0.0.1:{endpoint.Port}", Topics), timeout.Token);

        var copied = await Task.Run(() => SyncHarness.ReadAll(harness.Target.BootstrapServers, Topics, 2, 5_000, timeout.Token, readCommitted: true));
        var original = await Task.Run(() => SyncHarness.ReadAll(harness.Source.BootstrapServers, Topics, 2, 5_000, timeout.Token));
        SyncHarness.AssertSame(original, copied);
        await stop.CancelAsync();
        var status = await run;
        Assert.Equal(status.NextSeq - 1, status.DoneSeq);
        await source.StopAsync();
    }
}

internal sealed class TestLog(ITestOutputHelper output) : IProgress<string>
{
    public void Report(string value)
    {
        try
        {
            output.WriteLine(value);
        }
        catch (InvalidOperationException)
        {
            // The test already ended.
        }
    }
}
