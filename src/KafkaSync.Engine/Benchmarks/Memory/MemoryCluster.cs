using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Benchmarks.Memory;

/// <summary>
/// A cluster of `bench memory`, run as its own process (the hidden `kafkasync bench memory-cluster`)
/// so its memory is not counted with the agents': an embedded cluster with the benchmark's topic,
/// driven by lines on stdin. "down" takes every broker down (connections close, new ones are
/// refused: a cluster outage as clients see one), "up" brings them back with their data; each is
/// answered "ok". Stdin closing (the benchmark ended or died) stops it.
/// </summary>
public static class MemoryCluster
{
    /// <summary>Runs the cluster until <paramref name="input"/> ends; its bootstrap list is the first line written.</summary>
    public static async Task RunAsync(int partitions, TextReader input, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var cluster = new EmbeddedKafka(brokers: 3);
        cluster.CreateTopic(MemoryBenchmark.Topic, partitions);
        await Reply(output, cluster.BootstrapServers);
        while (await input.ReadLineAsync(ct) is { } line)
        {
            switch (line.Trim())
            {
                case "down":
                    cluster.SetAllBrokersDown();
                    await Reply(output, "ok");
                    break;
                case "up":
                    cluster.SetAllBrokersUp();
                    await Reply(output, "ok");
                    break;
                default:
                    await Reply(output, $"error unknown command '{line}'");
                    break;
            }
        }
    }

    private static async Task Reply(TextWriter output, string line)
    {
        await output.WriteLineAsync(line);
        await output.FlushAsync();
    }
}
