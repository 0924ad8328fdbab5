namespace KafkaSync.Surface.Tests.Cli;

/// <summary>`bench e2e` as an operator runs it, kept small, and its refusal of a bad setting.</summary>
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

    [Fact]
    public async Task Bench_e2e_with_exactly_once_runs_that_mode_too_and_prints_its_cost_last()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await HostProcess.RunAsync(timeout.Token, "bench", "e2e", "--records", "20000", "--warmup-records", "0", "--rounds", "1", "--exactly-once");

        Assert.True(result.ExitCode == 0, result.Out + result.Err);
        Assert.Matches(@"e2e kafkasync exactly-once\s+20,000 records", result.Out);
        var lines = result.Out.TrimEnd().Split('\n');
        Assert.StartsWith("e2e-vs-mirror (median of 1 round): throughput ", lines[^2], StringComparison.Ordinal);
        // Unwarmed and on a busy machine, compiling can take longer than the CPU a run counts, so a
        // CPU ratio (compiling left out) may come out negative here; warmed up, as by default, it does not.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(lines[^1], @"^e2e-exactly-once \(median of 1 round\): throughput-vs-idempotent \d+\.\d\d, cpu-per-record-vs-idempotent -?\d+\.\d\d, throughput-vs-mirror \d+\.\d\d, cpu-per-record-vs-mirror -?\d+\.\d\d$"), lines[^1]);
    }
}
