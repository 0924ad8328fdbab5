using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// A service instance running alone feeds every partition: this reads the topic's partitions
/// from the metadata, at start and then every <see cref="Interval"/> (partitions can be added).
/// </summary>
internal sealed class TopicWatcher
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(500);

    private readonly TsdbClusterOptions options;
    private readonly PartitionShare share;
    private readonly Action<string> log;

    public TopicWatcher(TsdbClusterOptions options, PartitionShare share, Action<string> log)
    {
        this.options = options;
        this.share = share;
        this.log = log;
    }

    public Task RunAsync(CancellationToken cancellation) =>
        Task.Factory.StartNew(() => Watch(cancellation), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Watch(CancellationToken cancellation)
    {
        var config = KafkaClients.Admin(options.Kafka.BootstrapServers);
        foreach (var (key, value) in options.Kafka.Consumer)
        {
            // Security settings apply to every client; consumer-only ones are no admin setting.
            if (key.StartsWith("security.", StringComparison.Ordinal) || key.StartsWith("sasl.", StringComparison.Ordinal) || key.StartsWith("ssl.", StringComparison.Ordinal))
            {
                config.Set(key, value);
            }
        }

        // Quiet: its failures come back as the problems reported below; left alone, librdkafka
        // would print its own lines to stderr.
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        string? lastProblem = null;
        while (!cancellation.IsCancellationRequested)
        {
            string? problem;
            try
            {
                var topic = admin.GetMetadata(options.Kafka.Topic, TimeSpan.FromSeconds(10)).Topics.FirstOrDefault();
                problem = topic == null ? "no metadata"
                    : topic.Error.IsError ? topic.Error.Reason
                    : topic.Partitions.Count == 0 ? "no partitions"
                    : null;
                if (problem == null)
                {
                    share.Set(topic!.Partitions.Select(p => p.PartitionId));
                }
            }
            catch (KafkaException ex)
            {
                problem = ex.Error.Reason;
            }

            if (problem != null && problem != lastProblem)
            {
                log($"cannot read the partitions of {options.Kafka.Topic} ({problem}); retrying");
            }

            lastProblem = problem;
            cancellation.WaitHandle.WaitOne(problem == null ? Interval : Retry);
        }
    }
}
