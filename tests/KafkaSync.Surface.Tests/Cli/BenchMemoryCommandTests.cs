namespace KafkaSync.Surface.Tests.Cli;

/// <summary>`bench memory` names a wrong option before it starts any process. The benchmark itself takes minutes and is not run here.</summary>
public sealed class BenchMemoryCommandTests
{
    [Fact]
    public async Task Bench_memory_with_no_growth_names_the_option()
    {
        var result = await HostProcess.RunAsync("bench", "memory", "--grow-gib", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--grow-gib", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_memory_with_an_unknown_outage_lists_the_kinds()
    {
        var result = await HostProcess.RunAsync("bench", "memory", "--outage", "pause");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("use down or sigstop", result.Err, StringComparison.Ordinal);
    }
}
