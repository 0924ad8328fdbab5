using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// The exactly-once checkpoint: a record (key = agent name, value = last produced seq as text)
/// in partition 0 of the checkpoint topic, written inside each transaction with the records it
/// covers. Reading it back with read_committed gives the last seq whose transaction committed.
/// </summary>
internal static class TransactionCheckpoint
{
    /// <summary>The checkpoint of <paramref name="seq"/> as a record: only key and value are sent (to the checkpoint topic, without provenance headers).</summary>
    public static KafkaRecord Create(string agent, long seq) => new()
    {
        Topic = "checkpoint",
        Partition = 0,
        Offset = seq,
        TimestampType = KafkaTimestampType.NotAvailable,
        Key = Encoding.UTF8.GetBytes(agent),
        Value = Encoding.UTF8.GetBytes(seq.ToString(CultureInfo.InvariantCulture)),
    };

    /// <summary>The last committed seq of <paramref name="agent"/>, 0 when it never committed one.</summary>
    /// <exception cref="KafkaException">The cluster cannot be read.</exception>
    public static long Read(Dictionary<string, string> settings, string topic, string agent, TimeSpan timeout, CancellationToken stop)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(settings))
        {
            GroupId = "kafkasync-checkpoint-reader",
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        var partition = new TopicPartition(topic, 0);
        var watermarks = consumer.QueryWatermarkOffsets(partition, timeout);
        if (watermarks.High.Value <= 0)
        {
            return 0;
        }

        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        var key = Encoding.UTF8.GetBytes(agent);
        long last = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var result = consumer.Consume(deadline.Token);
            if (result.IsPartitionEOF)
            {
                return last;
            }

            if (result.Message.Key is { } k && k.AsSpan().SequenceEqual(key) && result.Message.Value is { } v)
            {
                last = long.Parse(Encoding.UTF8.GetString(v), CultureInfo.InvariantCulture);
            }
        }
    }
}
