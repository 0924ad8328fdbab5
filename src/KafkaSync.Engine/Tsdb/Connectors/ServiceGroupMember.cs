using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// This instance's membership of the service group (<see cref="TsdbClusterOptions.ServiceGroup"/>),
/// subscribed to the topic: Kafka's group protocol splits the partitions between the running
/// instances, and whatever this member is assigned is what the instance's connectors feed, to
/// every node. The member reads no records (its partitions stay paused) and commits nothing; each
/// node's progress stays in the node's own group. On a rebalance, the revoked partitions are
/// released only after the connectors committed what they wrote, so the next owner starts where
/// this instance stopped.
/// </summary>
internal sealed class ServiceGroupMember
{
    private static readonly TimeSpan ReleaseWait = TimeSpan.FromSeconds(30);

    private readonly TsdbClusterOptions options;
    private readonly PartitionShare mine;
    private readonly Func<int, bool> released;
    private readonly Action<string> log;

    /// <param name="options">The cluster.</param>
    /// <param name="mine">Set to this instance's partitions.</param>
    /// <param name="released">True when every connector has let go of all but the given share version.</param>
    /// <param name="log">Receives a line per assignment.</param>
    public ServiceGroupMember(TsdbClusterOptions options, PartitionShare mine, Func<int, bool> released, Action<string> log)
    {
        this.options = options;
        this.mine = mine;
        this.released = released;
        this.log = log;
    }

    public Task RunAsync(CancellationToken cancellation) =>
        Task.Factory.StartNew(() => Run(cancellation), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken cancellation)
    {
        var config = KafkaClients.Consumer(options.Kafka.BootstrapServers, options.ServiceGroup());
        foreach (var (key, value) in options.Kafka.Consumer)
        {
            config.Set(key, value);
        }

        config.SessionTimeoutMs = (int)options.Kafka.ShareSessionTimeout.TotalMilliseconds;
        config.HeartbeatIntervalMs = Math.Max(100, config.SessionTimeoutMs.Value / 5);
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.RoundRobin;
        var pause = false;
        var kafkaErrors = new RepeatedErrorFilter(log);
        using var member = new ConsumerBuilder<Ignore, Ignore>(config)
            .SetPartitionsAssignedHandler((c, partitions) =>
            {
                pause = true;
                mine.Set(partitions.Select(p => p.Partition.Value));
                log($"instance feeds partition(s) {string.Join(", ", partitions.Select(p => p.Partition.Value))} of {options.Kafka.Topic} (group {options.ServiceGroup()})");
                return partitions.Select(p => new TopicPartitionOffset(p, Offset.End));
            })
            .SetPartitionsRevokedHandler((c, partitions) => Release())
            .SetPartitionsLostHandler((c, partitions) => Release())
            .SetErrorHandler((_, error) => kafkaErrors.Report($"service group: Kafka: {error.Reason}"))
            .SetLogHandler((_, _) => { })
            .Build();
        member.Subscribe(options.Kafka.Topic);
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                // Only the group's callbacks matter; the partitions are paused (and start at their
                // end), so hardly a record comes, and none is used.
                member.Consume(TimeSpan.FromMilliseconds(100));
                if (pause)
                {
                    member.Pause(member.Assignment);
                    pause = false;
                }
            }
        }
        finally
        {
            Release();
            member.Close();
        }

        void Release()
        {
            mine.Clear();
            var version = mine.Version;
            var deadline = DateTime.UtcNow + ReleaseWait;
            while (!released(version) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }
        }
    }
}
