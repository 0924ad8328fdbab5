using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Tests.Kafka;

public sealed class RepeatedErrorFilterTests
{
    [Fact]
    public void A_flood_of_one_error_is_passed_on_once()
    {
        var lines = new List<string>();
        var filter = new RepeatedErrorFilter(lines.Add);

        for (var i = 0; i < 240; i++)
        {
            filter.Report("gone: Kafka: 127.0.0.1:9/bootstrap: Connect to ipv4#127.0.0.1:9 failed: Connection refused");
        }

        Assert.Equal(["gone: Kafka: 127.0.0.1:9/bootstrap: Connect to ipv4#127.0.0.1:9 failed: Connection refused"], lines);
    }

    [Fact]
    public void Interleaved_errors_are_each_passed_on_once()
    {
        var lines = new List<string>();
        var filter = new RepeatedErrorFilter(lines.Add);

        filter.Report("librdkafka FAIL: broker down");
        filter.Report("Target cluster: broker down");
        filter.Report("librdkafka FAIL: broker down");
        filter.Report("Target cluster: broker down");
        filter.Report("Target cluster: 1/1 brokers are down");
        filter.Report("librdkafka FAIL: broker down");

        Assert.Equal(["librdkafka FAIL: broker down", "Target cluster: broker down", "Target cluster: 1/1 brokers are down"], lines);
    }

    [Fact]
    public void Reports_that_differ_only_in_how_long_the_connection_attempt_took_are_the_same_report()
    {
        var lines = new List<string>();
        var filter = new RepeatedErrorFilter(lines.Add);

        filter.Report("Target cluster: b:9/bootstrap: Connect to ipv4#b:9 failed: Connection refused (after 0ms in state CONNECT)");
        filter.Report("Target cluster: b:9/bootstrap: Connect to ipv4#b:9 failed: Connection refused (after 1ms in state CONNECT)");
        filter.Report("Target cluster: b:9/bootstrap: Connect to ipv4#b:9 failed: Connection refused (after 3ms in state CONNECT, 4 identical error(s) suppressed)");
        filter.Report("Target cluster: b:9/bootstrap: Disconnected (after 5012ms in state UP)");

        Assert.Equal(
        [
            "Target cluster: b:9/bootstrap: Connect to ipv4#b:9 failed: Connection refused (after 0ms in state CONNECT)",
            "Target cluster: b:9/bootstrap: Disconnected (after 5012ms in state UP)",
        ], lines);
    }

    [Fact]
    public void The_same_error_after_the_window_is_passed_on_with_the_count_of_the_held_back_copies()
    {
        var lines = new List<string>();
        var filter = new RepeatedErrorFilter(lines.Add, TimeSpan.FromMilliseconds(100));

        filter.Report("broker down");
        filter.Report("broker down");
        Thread.Sleep(150); // past the window: the next copy is passed on, whatever the machine's load
        filter.Report("broker down");
        filter.Report("broker down");

        Assert.Equal(2, lines.Count);
        Assert.Equal("broker down", lines[0]);
        Assert.StartsWith("broker down (and 1 more time(s) in the ", lines[1], StringComparison.Ordinal);
    }
}
