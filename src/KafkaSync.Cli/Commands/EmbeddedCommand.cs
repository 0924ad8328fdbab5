using System.CommandLine;
using System.Globalization;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync embedded`: runs an in-memory Kafka cluster and prints its bootstrap list until Ctrl+C.</summary>
internal static class EmbeddedCommand
{
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of brokers (1-16).", DefaultValueFactory = _ => 3 };
        var topics = new Option<string[]>("--topic")
        {
            Description = "A topic to create, as NAME or NAME:PARTITIONS (repeatable).",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("embedded", "Run an in-memory Kafka cluster (librdkafka's mock cluster) on loopback until Ctrl+C; prints its bootstrap servers.")
        {
            brokers, topics,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var count = parse.GetValue(brokers);
            if (count is < 1 or > 16)
            {
                throw new OptionsException("--brokers", $"{count} is out of range; use 1 to 16.");
            }

            using var cluster = new EmbeddedKafka(count);
            foreach (var spec in parse.GetValue(topics) ?? [])
            {
                var (name, partitions) = ParseTopic(spec);
                cluster.CreateTopic(name, partitions);
            }

            Console.Out.WriteLine(cluster.BootstrapServers);
            await Console.Error.WriteLineAsync($"kafkasync: embedded cluster of {count} broker(s) at {cluster.BootstrapServers}; Ctrl+C stops it (its data is in memory only).");
            await Task.Delay(Timeout.Infinite, stop);
            return CliRun.Ok;
        }, ct));
        return command;
    }

    private static (string Name, int Partitions) ParseTopic(string spec)
    {
        var colon = spec.LastIndexOf(':');
        if (colon < 0)
        {
            return (spec, 4);
        }

        if (!int.TryParse(spec[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var partitions) || partitions is < 1 or > 10_000)
        {
            throw new OptionsException("--topic", $"'{spec}' is not NAME or NAME:PARTITIONS with 1 to 10000 partitions.");
        }

        return (spec[..colon], partitions);
    }
}
