using System.Globalization;
using System.Text;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// A deterministic source of realistic Kafka traffic for benchmarks: JSON events (orders, payments,
/// page views, stock levels, audit entries) with repeated field names, ISO and epoch timestamps,
/// ids, enums and free text (about 390 bytes per serialized record, key and headers included), spread over several topics and
/// partitions, with keys and headers. Offsets increase per partition; timestamps follow a clock
/// with a little producer jitter. The same seed always yields the same records.
/// </summary>
public sealed partial class EventGenerator
{
    private static readonly (string Name, int Partitions, int Weight)[] TopicSpecs =
    [
        ("shop.orders", 6, 30),
        ("shop.payments", 4, 20),
        ("web.clickstream", 8, 30),
        ("stock.levels", 3, 12),
        ("security.audit", 2, 8),
    ];

    private readonly Random _random;
    private readonly Dictionary<(int Topic, int Partition), long> _offsets = [];
    private readonly StringBuilder _text = new(512);
    private readonly int _totalWeight = TopicSpecs.Sum(t => t.Weight);

    // Live entities: an order, a session or a customer shows up in many events over time,
    // as in real traffic, not once.
    private readonly string[] _sessions = new string[3_000];
    private readonly string[] _orders = new string[2_000];
    private long _clock = 1_700_000_000_000;

    /// <summary>Creates a generator; equal seeds give equal sequences.</summary>
    public EventGenerator(int seed = 42)
    {
        _random = new Random(seed);
        for (var i = 0; i < _sessions.Length; i++)
        {
            _sessions[i] = Hex(16);
        }

        for (var i = 0; i < _orders.Length; i++)
        {
            _orders[i] = "ord-" + Hex(6);
        }
    }

    /// <summary>The topics and their partition counts.</summary>
    public static IReadOnlyList<(string Topic, int Partitions)> Topics { get; } = TopicSpecs.Select(t => (t.Name, t.Partitions)).ToArray();

    /// <summary>The next record.</summary>
    public KafkaRecord Next()
    {
        _clock += _random.Next(0, 3);
        var pick = _random.Next(_totalWeight);
        var topic = 0;
        while (pick >= TopicSpecs[topic].Weight)
        {
            pick -= TopicSpecs[topic].Weight;
            topic++;
        }

        var (key, value) = topic switch
        {
            0 => Order(),
            1 => Payment(),
            2 => PageView(),
            3 => StockLevel(),
            _ => Audit(),
        };

        // Partition by key, as Kafka's default partitioner does, so a key keeps its partition.
        var partition = (int)((uint)StableHash(key) % (uint)TopicSpecs[topic].Partitions);
        var offset = _offsets.GetValueOrDefault((topic, partition), 1_000_000L * (topic + 1));
        _offsets[(topic, partition)] = offset + 1;
        return new KafkaRecord
        {
            Topic = TopicSpecs[topic].Name,
            Partition = partition,
            Offset = offset,
            Timestamp = _clock - _random.Next(0, 40),
            TimestampType = KafkaTimestampType.CreateTime,
            Key = Encoding.UTF8.GetBytes(key),
            Value = Encoding.UTF8.GetBytes(value),
            Headers = Headers(topic),
        };
    }

    /// <summary>The next <paramref name="count"/> records.</summary>
    public KafkaRecord[] Take(int count)
    {
        var records = new KafkaRecord[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = Next();
        }

        return records;
    }

    /// <summary>The next <paramref name="count"/> records serialized as queue records with seqs from <paramref name="firstSeq"/>.</summary>
    public QueueRecord[] TakeQueueRecords(int count, long firstSeq = 1)
    {
        var records = new QueueRecord[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = new QueueRecord(firstSeq + i, KafkaRecordSerializer.Serialize(Next()));
        }

        return records;
    }

    private KafkaHeader[] Headers(int topic)
    {
        var trace = new KafkaHeader("traceparent", Encoding.ASCII.GetBytes($"00-{Hex(16)}-{Hex(8)}-01"));
        var producer = new KafkaHeader("producer", Encoding.ASCII.GetBytes(Pick(Services) + "-" + _random.Next(1, 7).ToString(CultureInfo.InvariantCulture)));
        return topic switch
        {
            2 => [new KafkaHeader("content-type", "application/json"u8.ToArray())],
            4 => [producer, new KafkaHeader("content-type", "application/json"u8.ToArray()), new KafkaHeader("signature", null)],
            _ => [trace, producer, new KafkaHeader("content-type", "application/json"u8.ToArray())],
        };
    }

    private static int StableHash(string key)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
