namespace KafkaSync.Surface.Tests.Cli;

/// <summary>`bench e2e` refuses a bad setting before it starts any cluster.</summary>
public sealed class BenchE2eCommandTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("21")]
    public async Task Bench_e2e_with_rounds_out_of_range_names_the_option_and_the_range(string rounds)
    {
        var result = await HostProcess.RunAsync("bench", "e2e", "--rounds", rounds);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--rounds", result.Err, StringComparison.Ordinal);
        Assert.Contains("20", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Warm-up", result.Out, StringComparison.Ordinal);
    }
}
