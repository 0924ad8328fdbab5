using System.Buffers;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Tests.Kafka;

public sealed class RawConsumerTests
{
    private const string Topic = "raw";

    [Fact]
    public async Task Records_read_in_place_serialize_as_Confluent_reads_them_nulls_and_empties_apart()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cluster = new EmbeddedKafka(brokers: 1);
        cluster.CreateTopic(Topic, partitions: 2);
        var big = new byte[300_000];
        new Random(7).NextBytes(big);
        Message<byte[]?, byte[]?>[] sent =
        [
            new() { Key = null, Value = null },
            new() { Key = [], Value = [] },
            new() { Key = "k"u8.ToArray(), Value = big, Timestamp = new Timestamp(1_700_000_000_123, TimestampType.CreateTime) },
            new()
            {
                Key = "k2"u8.ToArray(),
                Value = "{\"a\":1}"u8.ToArray(),
                Headers = [new Header("a", null), new Header("ünï", []), new Header("a", "second"u8.ToArray())],
            },
        ];
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(KafkaClients.Producer(cluster.BootstrapServers)).Build())
        {
            foreach (var (message, i) in sent.Select((m, i) => (m, i)))
            {
                await producer.ProduceAsync(new TopicPartition(Topic, i % 2), message, timeout.Token);
            }
        }

        var expected = ReadWithConfluent(cluster, sent.Length, timeout.Token);
        var actual = ReadRaw(cluster, sent.Length, timeout.Token);

        Assert.Equal(expected.Count, actual.Count);
        foreach (var record in expected)
        {
            var match = actual.Single(r => r.Partition == record.Partition && r.Offset == record.Offset);
            Assert.True(record.ContentEquals(match), $"{record.Topic}[{record.Partition}]@{record.Offset} differs");
            Assert.Equal(record.Key is null, match.Key is null);
            Assert.Equal(record.Value is null, match.Value is null);
            Assert.Equal(record.Headers.Select(h => h.Value is null), match.Headers.Select(h => h.Value is null));
        }

        Assert.Contains(actual, r => r.Value?.Length == big.Length && r.Timestamp == 1_700_000_000_123);
        Assert.Contains(actual, r => r.Headers.Select(h => h.Key).SequenceEqual(["a", "ünï", "a"]));
    }

    [Fact]
    public void A_partition_end_is_no_record_and_an_error_in_place_of_a_record_is_thrown()
    {
        using var cluster = new EmbeddedKafka(brokers: 1);
        cluster.CreateTopic(Topic, partitions: 1);
        var config = KafkaClients.Consumer(cluster.BootstrapServers, "raw-errors");
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        using var raw = new RawConsumer(consumer);
        consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));

        var polls = 0;
        while (!raw.Poll(100) && polls++ < 50 && !raw.ReachedEnd)
        {
        }

        Assert.True(raw.ReachedEnd, "the empty partition's end should be reported, not a record");

        // Fetch answers "topic authorization failed" from now on: librdkafka hands that over as a message.
        cluster.PushRequestErrors(apiKey: 1, Enumerable.Repeat((int)ErrorCode.TopicAuthorizationFailed, 50).ToArray());
        consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
        var error = Assert.Throws<KafkaException>(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                raw.Poll(100);
            }
        });
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, error.Error.Code);
        Assert.StartsWith($"Consuming {Topic}[0]: ", error.Message, StringComparison.Ordinal);
    }

    private static List<KafkaRecord> ReadWithConfluent(EmbeddedKafka cluster, int count, CancellationToken ct)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClients.Consumer(cluster.BootstrapServers, "confluent")).Build();
        consumer.Assign([new TopicPartitionOffset(Topic, 0, Offset.Beginning), new TopicPartitionOffset(Topic, 1, Offset.Beginning)]);
        var records = new List<KafkaRecord>();
        while (records.Count < count)
        {
            var result = consumer.Consume(ct);
            records.Add(new KafkaRecord
            {
                Topic = result.Topic,
                Partition = result.Partition.Value,
                Offset = result.Offset.Value,
                Timestamp = result.Message.Timestamp.UnixTimestampMs,
                TimestampType = (KafkaTimestampType)result.Message.Timestamp.Type,
                Key = result.Message.Key,
                Value = result.Message.Value,
                Headers = result.Message.Headers.Select(h => new KafkaHeader(h.Key, h.GetValueBytes())).ToArray(),
            });
        }

        return records;
    }

    private static List<KafkaRecord> ReadRaw(EmbeddedKafka cluster, int count, CancellationToken ct)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClients.Consumer(cluster.BootstrapServers, "raw")).Build();
        using var raw = new RawConsumer(consumer);
        consumer.Assign([new TopicPartitionOffset(Topic, 0, Offset.Beginning), new TopicPartitionOffset(Topic, 1, Offset.Beginning)]);
        var records = new List<KafkaRecord>();
        var buffer = new ArrayBufferWriter<byte>();
        while (records.Count < count)
        {
            ct.ThrowIfCancellationRequested();
            if (raw.Poll(100))
            {
                Assert.Equal(Topic, raw.Topic.Name);
                buffer.ResetWrittenCount();
                raw.Serialize(buffer);
                var record = KafkaRecordSerializer.Deserialize(buffer.WrittenSpan);
                Assert.Equal((raw.Partition, raw.Offset), (record.Partition, record.Offset));
                Assert.Equal((record.Key?.Length ?? 0) + (record.Value?.Length ?? 0), raw.PayloadBytes);
                records.Add(record);
            }
        }

        return records;
    }
}
