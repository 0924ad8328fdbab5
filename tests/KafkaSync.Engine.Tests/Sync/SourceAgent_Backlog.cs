using System.Diagnostics;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class SourceAgent_Backlog
{
    /// <summary>
    /// librdkafka 2.0 stops fetching while its local queue holds queued.min.messages records and
    /// looks again up to a second later. Each set of 500 below is flushed on its own, so each
    /// partition holds 40 message sets and the embedded Kafka answers a fetch with one set per
    /// partition: 500 records, a queue's worth. Without waking the fetcher when starved, the
    /// source agent took 29 s to queue this backlog; with it, 3.4 s from its start. 15 s leaves
    /// room for a slow machine and still fails on the stalls.
    /// </summary>
    [Fact]
    public async Task A_backlog_many_times_librdkafkas_local_queue_is_queued_without_one_second_stalls()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var harness = new SyncHarness();
        harness.CreateTopics(["backlog"], partitions: 4);
        var config = KafkaClients.Producer(harness.Source.BootstrapServers);
        config.LingerMs = 5;
        using (var producer = new ProducerBuilder<Null, string>(config).Build())
        {
            for (var set = 0; set < 40; set++)
            {
                for (var i = 0; i < 500; i++)
                {
                    producer.Produce(new TopicPartition("backlog", i % 4), new Message<Null, string> { Value = $"record {(set * 500) + i}" });
                }

                producer.Flush(timeout.Token);
            }
        }

        var (target, port) = await AgentRun.StartTargetAsync(harness.TargetOptions(), timeout.Token);
        using var _ = target;
        var options = harness.SourceOptions($"127.0.0.1:{port}", ["backlog"]);
        options = options with { Kafka = options.Kafka with { Settings = new(StringComparer.Ordinal) { ["queued.min.messages"] = "500" } } };
        var clock = Stopwatch.StartNew();
        using var source = AgentRun.StartSource(options, timeout.Token);
        await AgentRun.WaitUntilAsync(() => source.StatusOf().RecordsIn == 20_000, timeout.Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"queuing 40 queues' worth took {clock.Elapsed.TotalSeconds:F1} s");
        await AgentRun.WaitUntilAsync(() => target.StatusOf().RecordsOut == 20_000, timeout.Token);
        await source.StopAsync();
        await target.StopAsync();
    }
}
