using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>
/// Produces line-protocol points into a topic: every point unique (its own millisecond), several
/// lines per record, spread round-robin over the partitions, in big producer batches as the
/// mock cluster needs.
/// </summary>
public sealed class PointFeed : IDisposable
{
    private readonly IProducer<Null, string> producer;
    private readonly string topic;
    private readonly int partitions;
    private readonly string measurement;
    private readonly long baseMs = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds();
    private long next;
    private int record;

    public PointFeed(string bootstrapServers, string topic, int partitions, string measurement)
    {
        var config = KafkaClients.Producer(bootstrapServers);
        config.LingerMs = 100;
        producer = new ProducerBuilder<Null, string>(config).Build();
        this.topic = topic;
        this.partitions = partitions;
        this.measurement = measurement;
    }

    public long Produced => next;

    /// <summary>The timestamp (ms) of the first point; every point is one millisecond after the previous.</summary>
    public long BaseMs => baseMs;

    /// <summary>Produces <paramref name="points"/> points, <paramref name="linesPerRecord"/> per record, and waits for delivery.</summary>
    public async Task ProduceAsync(int points, int linesPerRecord, CancellationToken cancellation)
    {
        var pending = new List<Task>();
        var text = new StringBuilder();
        for (var i = 0; i < points; i += linesPerRecord)
        {
            text.Clear();
            for (var j = 0; j < linesPerRecord && i + j < points; j++)
            {
                var n = next++;
                text.Append(CultureInfo.InvariantCulture, $"{measurement},host=h{n % 20} v={n % 1000}.5 {baseMs + n}\n");
            }

            pending.Add(ProduceRawAsync(text.ToString().TrimEnd('\n'), cancellation));
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Produces one record as it is (for bad input), on the next partition.</summary>
    public Task ProduceRawAsync(string value, CancellationToken cancellation) =>
        producer.ProduceAsync(new TopicPartition(topic, record++ % partitions), new Message<Null, string> { Value = value }, cancellation);

    public void Dispose() => producer.Dispose();
}
