using KafkaSync.Engine.Benchmarks;

namespace KafkaSync.Engine.Tests.Benchmarks;

public sealed class E2eBenchmarkSummaryTests
{
    [Fact]
    public void The_closing_line_gives_each_ratio_its_median_over_the_rounds()
    {
        // KafkaSync takes 2, 1 and 4 s against a mirror's 1 s: throughput ratios 0.5, 1 and 0.25;
        // with their first 0.5 s left out (the mirror's first 0.25 s): 0.5, 1.5 and 0.21.
        IReadOnlyList<E2eRun>[] rounds = [Round(seconds: 2, cpu: 3), Round(seconds: 1, cpu: 1), Round(seconds: 4, cpu: 2)];

        var line = E2eBenchmark.Summary(rounds);

        Assert.Equal("e2e-vs-mirror (median of 3 rounds): throughput 0.50, wire 0.100, wire-vs-zstd-mirror 0.200, cpu-per-record 2.00, throughput-after-first-record 0.50", line);
    }

    [Fact]
    public void The_exactly_once_line_compares_its_run_with_the_default_mode_and_the_plain_mirror()
    {
        // Exactly-once takes 4, 3 and 6 s against KafkaSync's 2, 1 and 4 s: 0.5, 0.33 and 0.67
        // of its throughput; against the mirror's 1 s: 0.25, 0.33 and 0.17.
        IReadOnlyList<E2eRun>[] rounds =
        [
            [.. Round(seconds: 2, cpu: 2), new("kafkasync exactly-once", 1000, 4, 100, "relay", 3, 0, 0.5)],
            [.. Round(seconds: 1, cpu: 1), new("kafkasync exactly-once", 1000, 3, 100, "relay", 2, 0, 0.5)],
            [.. Round(seconds: 4, cpu: 2), new("kafkasync exactly-once", 1000, 6, 100, "relay", 4, 0, 0.5)],
        ];

        var line = E2eBenchmark.ExactlyOnceSummary(rounds);

        Assert.Equal("e2e-exactly-once (median of 3 rounds): throughput-vs-idempotent 0.50, cpu-per-record-vs-idempotent 2.00, throughput-vs-mirror 0.25, cpu-per-record-vs-mirror 3.00", line);
    }

    [Fact]
    public void An_even_count_of_rounds_takes_the_mean_of_the_middle_two() =>
        Assert.Equal(2.5, E2eBenchmark.Median([4, 1, 3, 2]));

    private static IReadOnlyList<E2eRun> Round(double seconds, double cpu) =>
    [
        new("kafkasync", 1000, seconds, 100, "relay", cpu, 0, 0.5),
        new("mirror (compression none)", 1000, 1, 1000, "statistics", 1, 0, 0.25),
        new("mirror (compression zstd)", 1000, 1, 500, "statistics", 1, 0, 0.25),
    ];
}
