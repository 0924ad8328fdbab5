using KafkaSync.Engine.Benchmarks.Memory;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Tests.Benchmarks.Memory;

public sealed class MemoryBenchmarkFiguresTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void Rss_figures_leave_out_moments_the_agent_was_not_running_and_take_a_measured_median()
    {
        var stats = RssStats.Of([0, 100 * MiB, 120 * MiB, 0, 110 * MiB, 130 * MiB]);
        Assert.Equal(new RssStats(100 * MiB, 110 * MiB, 130 * MiB, 4), stats);
        Assert.Equal("100/110/130 MiB", stats.ToString());
        Assert.Equal(RssStats.Empty, RssStats.Of([0, 0]));
        Assert.Equal("-", RssStats.Empty.ToString());
    }

    [Fact]
    public void Peak_is_the_largest_sample_over_the_baseline_median()
    {
        var baseline = RssStats.Of([90 * MiB, 100 * MiB, 110 * MiB]);
        Assert.Equal(1.5, RssStats.Of([120 * MiB, 150 * MiB]).PeakOver(baseline), 6);
        Assert.Equal(0, RssStats.Empty.PeakOver(baseline));
        Assert.Equal(0, baseline.PeakOver(RssStats.Empty));
    }

    [Fact]
    public void Metric_values_are_read_by_exact_name_and_summed_over_label_sets()
    {
        const string text = """
            # HELP kafkasync_queue_bytes Bytes the queue's segments hold.
            # TYPE kafkasync_queue_bytes gauge
            kafkasync_queue_bytes{agent="memory",role="target"} 1.5E+09
            kafkasync_queue_bytes_total 7
            dotnet_total_memory_bytes 1234
            dotnet_collection_count_total{generation="0"} 10
            dotnet_collection_count_total{generation="1",note="a b}"} 2 1700000000000
            """;
        Assert.Equal(1.5e9, PrometheusText.Value(text, "kafkasync_queue_bytes"));
        Assert.Equal(1234, PrometheusText.Value(text, "dotnet_total_memory_bytes"));
        Assert.Equal(12, PrometheusText.Value(text, "dotnet_collection_count_total"));
        Assert.Null(PrometheusText.Value(text, "kafkasync_queue_done_seq"));
    }

    [Fact]
    public void Queue_growth_steps_are_the_first_samples_past_each_multiple()
    {
        static MemorySample At(double seconds, long queue, long rss) =>
            new(seconds, AgentReading.None with { Rss = rss }, AgentReading.None with { Rss = rss, QueueBytes = queue });
        var samples = new[]
        {
            At(10, 100 * MiB, 1), At(11, 400 * MiB, 2), At(12, 700 * MiB, 3), At(13, 1400 * MiB, 4), At(14, 1500 * MiB, 5),
        };

        var steps = MemoryBenchmark.Steps(samples, 512 * MiB);

        // +300 MiB is short of a step; +600 passes 512; +1300 passes 1024 (one line, not two); +1400 passes nothing new.
        Assert.Equal([600 * MiB, 1300 * MiB], steps.Select(s => s.QueueGrowth));
        Assert.Equal([2.0, 3.0], steps.Select(s => s.Seconds));
        Assert.Equal([3L, 4L], steps.Select(s => s.TargetRss));
    }

    [Fact]
    public void Growth_compares_the_first_and_last_quarter_of_the_outage_and_ignores_a_starting_agent()
    {
        static MemorySample At(long queue, long source, long target, long heap = 1) =>
            new(0, AgentReading.None with { Rss = source * MiB, GcHeap = 1 }, AgentReading.None with { Rss = target * MiB, GcHeap = heap, QueueBytes = queue * MiB });
        var samples = new[]
        {
            At(0, 100, 5, heap: 0), At(100, 100, 200), At(200, 100, 200), At(300, 100, 200),
            At(400, 110, 210), At(500, 110, 210), At(600, 110, 210), At(2048, 110, 250),
        };

        var line = MemoryBenchmark.Growth(samples);

        // The first quarter's target sample at 5 MiB is a process not yet answering: left out.
        Assert.Contains("target queue +2,048 MiB", line, StringComparison.Ordinal);
        Assert.Contains("source 100 → 110 MiB (+10%)", line, StringComparison.Ordinal);
        Assert.Contains("target 200 → 210 MiB (+5%)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_closing_line_gives_both_peaks_against_the_baseline()
    {
        static MemoryPhase Phase(long source, long target) =>
            new("p", 1, RssStats.Of([source * MiB]), RssStats.Of([target * MiB]), 0, 0);
        var stopped = new MemoryPhase("fill", 1, RssStats.Of([110 * MiB]), RssStats.Empty, 0, 0);
        var result = new MemoryResult(Phase(100, 80), stopped, Phase(105, 96), Phase(115, 90), Phase(100, 88), [], CheckPassed: true);

        Assert.Equal("memory: source-rss-peak-vs-baseline 1.15, target-rss-peak-vs-baseline 1.20 (target ≤ 1.2)", MemoryBenchmark.Summary(result));
        Assert.EndsWith("; CHECK FAILED", MemoryBenchmark.Summary(result with { CheckPassed = false }), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_name_the_wrong_setting()
    {
        var valid = new MemoryBenchmarkOptions { SelfCommand = ["kafkasync"] };
        valid.Validate();
        Assert.Equal("--grow-gib", Assert.Throws<OptionsException>(() => (valid with { GrowGiB = 0 }).Validate()).Field);
        Assert.Equal("--partitions", Assert.Throws<OptionsException>(() => (valid with { Partitions = 0 }).Validate()).Field);
        Assert.Equal("selfCommand", Assert.Throws<OptionsException>(() => new MemoryBenchmarkOptions().Validate()).Field);
        // 2 MiB per partition of 16 KiB records: 128 records each.
        Assert.Equal(12 * 128, valid.LagBudgetRecords);
    }
}
