using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Benchmarks.Memory;

/// <summary>
/// The producer of `bench memory`: records of a fixed value size into the source cluster,
/// round-robin over the partitions. A record's key is its index within its partition, which is
/// also its offset in both clusters when nothing is lost or doubled (the check relies on it).
/// Values are the benchmark generator's JSON events joined up to the value size, from a pool
/// large enough (8 MiB and up) that a link frame does not see the same value twice.
/// </summary>
/// <remarks>
/// The embedded cluster keeps only the newest ≈5 MiB of each partition, so the producer never
/// runs further ahead of the source agent's queue than a lag budget (see
/// <see cref="MemoryBenchmarkOptions.LagBudgetRecords"/>); records it dropped would show as lost.
/// </remarks>
internal sealed class MemoryTraffic : IDisposable
{
    private const int PoolBytes = 8 << 20;

    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly string _topic;
    private readonly byte[][] _values;
    private readonly long[] _next;
    private long _produced;
    private int _failures;

    public MemoryTraffic(string bootstrap, string topic, int partitions, int valueBytes)
    {
        var config = KafkaClients.Producer(bootstrap);
        config.LingerMs = 5;
        config.EnableIdempotence = true;
        _producer = new ProducerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        _topic = topic;
        _next = new long[partitions];
        _values = Pool(valueBytes);
    }

    /// <summary>Records handed to the producer so far.</summary>
    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>
    /// Produces until <paramref name="done"/> says so (asked before each record, with the count
    /// so far), at most <paramref name="perSecond"/> records/s (0: unpaced), never more than
    /// <paramref name="lagBudget"/> records ahead of <paramref name="appended"/>; then flushes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The source cluster refused records.</exception>
    public async Task RunAsync(Func<long, bool> done, double perSecond, int lagBudget, Func<CancellationToken, Task<long>> appended, CancellationToken ct)
    {
        var start = Produced;
        var clock = Stopwatch.StartNew();
        var known = await appended(ct);
        while (!done(Produced))
        {
            var sent = Produced - start;
            if (perSecond > 0 && sent % 16 == 0)
            {
                var wait = TimeSpan.FromSeconds(sent / perSecond) - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, ct);
                }
            }

            while (Produced - known >= lagBudget)
            {
                await Task.Delay(20, ct);
                known = await appended(ct);
            }

            Produce();
        }

        await Task.Run(() => _producer.Flush(ct), ct);
        if (Volatile.Read(ref _failures) > 0)
        {
            throw new InvalidOperationException($"{_failures} records could not be produced to the source cluster.");
        }
    }

    private void Produce()
    {
        var n = Produced;
        var partition = (int)(n % _next.Length);
        var message = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.ASCII.GetBytes(_next[partition].ToString(CultureInfo.InvariantCulture)),
            Value = _values[n % _values.Length],
        };
        while (true)
        {
            try
            {
                _producer.Produce(new TopicPartition(_topic, partition), message, r =>
                {
                    if (r.Error.IsError)
                    {
                        Interlocked.Increment(ref _failures);
                    }
                });
                break;
            }
            catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(5));
            }
        }

        _next[partition]++;
        Interlocked.Increment(ref _produced);
    }

    private static byte[][] Pool(int valueBytes)
    {
        var generator = new EventGenerator();
        var values = new byte[Math.Max(64, PoolBytes / valueBytes)][];
        var text = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            text.Clear();
            while (text.Length < valueBytes)
            {
                text.Append(Encoding.UTF8.GetString(generator.Next().Value!)).Append('\n');
            }

            values[i] = Encoding.UTF8.GetBytes(text.ToString())[..valueBytes];
        }

        return values;
    }

    public void Dispose() => _producer.Dispose();
}
