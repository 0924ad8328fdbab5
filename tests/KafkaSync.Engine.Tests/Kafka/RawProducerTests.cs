using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Records;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Kafka;

public sealed class RawProducerTests
{
    private const string Topic = "produced";

    [Fact]
    public void Records_produced_from_their_queued_bytes_arrive_as_sent_nulls_and_empties_apart()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cluster = new EmbeddedKafka(brokers: 1);
        cluster.CreateTopic(Topic, partitions: 2);
        var big = new byte[300_000];
        new Random(7).NextBytes(big);
        KafkaRecord[] sent =
        [
            Record(key: null, value: null),
            Record(key: [], value: []),
            Record(key: "k"u8.ToArray(), value: big, timestamp: 1_700_000_000_123),
            Record(key: "k2"u8.ToArray(), value: "{\"a\":1}"u8.ToArray(), headers: [new("a", null), new("ünï", []), new("a", "second"u8.ToArray())]),
        ];
        var events = new RecordedEvents();
        using (var producer = new RawProducer(Config(cluster), events))
        {
            var arguments = new ProduceArguments(provenanceCluster: null, provenance: false);
            for (var i = 0; i < sent.Length; i++)
            {
                var bytes = KafkaRecordSerializer.Serialize(sent[i]);
                Assert.True(arguments.TryProduce(producer, producer.Topic(Topic), i % 2, bytes, SerializedRecord.Read(bytes), opaque: 100 + i));
            }

            events.WaitForDeliveries(sent.Length, timeout.Token);
        }

        var received = Consume(cluster, sent.Length, timeout.Token);
        for (var i = 0; i < sent.Length; i++)
        {
            // Each report names its record's opaque and where that record is now.
            var report = Assert.Single(events.Deliveries, d => d.Opaque == 100 + i);
            Assert.Equal(ErrorCode.NoError, report.Error);
            Assert.Equal(i % 2, report.Partition);
            var message = received[(report.Partition, report.Offset)];
            Assert.Equal(sent[i].Key, message.Key);
            Assert.Equal(sent[i].Value, message.Value);
            Assert.Equal(sent[i].Headers.Select(h => (h.Key, Shown(h.Value))), message.Headers.Select(h => (h.Key, Shown(h.GetValueBytes()))));
        }

        Assert.Equal(1_700_000_000_123, received[(0, 1)].Timestamp.UnixTimestampMs);
        Assert.Empty(events.Failures);
    }

    [Fact]
    public void Provenance_headers_follow_the_records_own()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cluster = new EmbeddedKafka(brokers: 1);
        cluster.CreateTopic(Topic, partitions: 1);
        var events = new RecordedEvents();
        using (var producer = new RawProducer(Config(cluster), events))
        {
            var bytes = KafkaRecordSerializer.Serialize(Record("k"u8.ToArray(), "v"u8.ToArray(), headers: [new("h", "1"u8.ToArray())], topic: "orders", partition: 7, offset: 1234567890123));
            Assert.True(new ProduceArguments("east", provenance: true).TryProduce(producer, producer.Topic(Topic), 0, bytes, SerializedRecord.Read(bytes), opaque: 1));
            events.WaitForDeliveries(1, timeout.Token);
        }

        var message = Assert.Single(Consume(cluster, 1, timeout.Token)).Value;
        Assert.Equal(
            [("h", "1"), ("kafkasync.source.cluster", "east"), ("kafkasync.source.topic", "orders"), ("kafkasync.source.partition", "7"), ("kafkasync.source.offset", "1234567890123")],
            message.Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes()))));
    }

    [Fact]
    public void A_full_buffer_says_so_and_a_down_cluster_is_reported_then_waited_out()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cluster = new EmbeddedKafka(brokers: 1);
        cluster.CreateTopic(Topic, partitions: 1);
        cluster.SetAllBrokersDown();
        var config = Config(cluster);
        config.QueueBufferingMaxMessages = 2;
        var events = new RecordedEvents();
        using var producer = new RawProducer(config, events);
        var arguments = new ProduceArguments(null, provenance: false);
        var bytes = KafkaRecordSerializer.Serialize(Record("k"u8.ToArray(), "v"u8.ToArray()));

        Assert.True(arguments.TryProduce(producer, producer.Topic(Topic), 0, bytes, SerializedRecord.Read(bytes), 1));
        Assert.True(arguments.TryProduce(producer, producer.Topic(Topic), 0, bytes, SerializedRecord.Read(bytes), 2));
        Assert.False(arguments.TryProduce(producer, producer.Topic(Topic), 0, bytes, SerializedRecord.Read(bytes), 3));
        events.WaitFor(() => !events.Errors.IsEmpty, timeout.Token);

        cluster.SetAllBrokersUp();
        events.WaitForDeliveries(2, timeout.Token);
        Assert.True(arguments.TryProduce(producer, producer.Topic(Topic), 0, bytes, SerializedRecord.Read(bytes), 3));
        events.WaitForDeliveries(3, timeout.Token);
        Assert.Equal([1L, 2, 3], events.Deliveries.Select(d => d.Opaque).Order());
        Assert.All(events.Deliveries, d => Assert.Equal(ErrorCode.NoError, d.Error));
    }

    [Fact]
    public void A_record_the_broker_refuses_is_reported_with_the_brokers_error()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cluster = new EmbeddedKafka(brokers: 1);
        cluster.CreateTopic(Topic, partitions: 1);
        cluster.PushRequestErrors(0, (int)ErrorCode.MsgSizeTooLarge);
        var events = new RecordedEvents();
        using var producer = new RawProducer(Config(cluster), events);
        var bytes = KafkaRecordSerializer.Serialize(Record("k"u8.ToArray(), "v"u8.ToArray()));

        Assert.True(new ProduceArguments(null, false).TryProduce(producer, producer.Topic(Topic), 0, bytes, SerializedRecord.Read(bytes), 42));
        events.WaitForDeliveries(1, timeout.Token);

        var report = Assert.Single(events.Deliveries);
        Assert.Equal((42L, ErrorCode.MsgSizeTooLarge), (report.Opaque, report.Error));
    }

    [Fact]
    public void A_report_handler_that_throws_is_reported_and_the_process_lives_on()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cluster = new EmbeddedKafka(brokers: 1);
        cluster.CreateTopic(Topic, partitions: 1);
        var events = new RecordedEvents { ThrowOnDelivery = true };
        using var producer = new RawProducer(Config(cluster), events);
        var bytes = KafkaRecordSerializer.Serialize(Record("k"u8.ToArray(), "v"u8.ToArray()));

        Assert.True(new ProduceArguments(null, false).TryProduce(producer, producer.Topic(Topic), 0, bytes, SerializedRecord.Read(bytes), 1));
        events.WaitFor(() => !events.Failures.IsEmpty, timeout.Token);

        Assert.Equal("handler broke", Assert.Single(events.Failures).Message);
    }

    [Fact]
    public void A_property_librdkafka_refuses_is_named()
    {
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:9" };
        config.Set("linger.ms", "soon");

        var error = Assert.Throws<ArgumentException>(() => new RawProducer(config, new RecordedEvents()));

        Assert.Contains("'linger.ms'", error.Message, StringComparison.Ordinal);
    }

    private static string Shown(byte[]? bytes) => bytes is null ? "null" : Convert.ToHexString(bytes);

    private static ProducerConfig Config(EmbeddedKafka cluster) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        LingerMs = 5,
        Acks = Acks.All,
        // Confluent.Kafka's own key: the producer leaves it out instead of refusing it.
        DeliveryReportFields = "none",
    };

    private static KafkaRecord Record(byte[]? key, byte[]? value, long timestamp = 0, KafkaHeader[]? headers = null, string topic = "source", int partition = 0, long offset = 0) => new()
    {
        Topic = topic,
        Partition = partition,
        Offset = offset,
        Timestamp = timestamp,
        TimestampType = timestamp == 0 ? KafkaTimestampType.NotAvailable : KafkaTimestampType.CreateTime,
        Key = key,
        Value = value,
        Headers = headers ?? [],
    };

    private static Dictionary<(int Partition, long Offset), Message<byte[]?, byte[]?>> Consume(EmbeddedKafka cluster, int count, CancellationToken ct)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClients.Consumer(cluster.BootstrapServers, "check")).Build();
        consumer.Assign([new TopicPartitionOffset(Topic, 0, Offset.Beginning), new TopicPartitionOffset(Topic, 1, Offset.Beginning)]);
        var received = new Dictionary<(int, long), Message<byte[]?, byte[]?>>();
        while (received.Count < count)
        {
            var result = consumer.Consume(ct);
            received[(result.Partition.Value, result.Offset.Value)] = result.Message;
        }

        return received;
    }

    private sealed class RecordedEvents : IProducerEvents
    {
        private readonly ConcurrentQueue<Delivery> _deliveries = new();
        private readonly SemaphoreSlim _changed = new(0);

        public bool ThrowOnDelivery { get; init; }

        public IReadOnlyCollection<Delivery> Deliveries => _deliveries;

        public ConcurrentQueue<Error> Errors { get; } = new();

        public ConcurrentQueue<Exception> Failures { get; } = new();

        public void Delivered(in Delivery delivery)
        {
            if (ThrowOnDelivery)
            {
                throw new InvalidOperationException("handler broke");
            }

            _deliveries.Enqueue(delivery);
            _changed.Release();
        }

        public void Error(Error error)
        {
            Errors.Enqueue(error);
            _changed.Release();
        }

        public void Log(SyslogLevel level, string facility, string message)
        {
        }

        public void Failed(Exception exception)
        {
            Failures.Enqueue(exception);
            _changed.Release();
        }

        public void WaitForDeliveries(int count, CancellationToken ct) => WaitFor(() => _deliveries.Count >= count, ct);

        public void WaitFor(Func<bool> done, CancellationToken ct)
        {
            while (!done())
            {
                _changed.Wait(ct);
            }
        }
    }
}
