using Confluent.Kafka;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// The delivery reports of one exactly-once transaction's records, by their place in the batch.
/// Inside a transaction a report already carries the record's target offset; the offset map
/// needs them before the commit.
/// </summary>
internal sealed class DeliveredBatch(int size)
{
    private readonly TopicPartitionOffset?[] _offsets = new TopicPartitionOffset?[size];
    private readonly object _gate = new();
    private int _outstanding;
    private Error? _failure;

    public void Expect()
    {
        lock (_gate)
        {
            _outstanding++;
        }
    }

    public void Set(int index, DeliveryReport<byte[]?, byte[]?> report)
    {
        lock (_gate)
        {
            if (report.Error.IsError)
            {
                _failure ??= report.Error;
            }
            else
            {
                _offsets[index] = report.TopicPartitionOffset;
            }

            _outstanding--;
            Monitor.PulseAll(_gate);
        }
    }

    public TopicPartitionOffset? Offset(int index) => _offsets[index];

    /// <summary>Waits for every report; returns the first failure, if any.</summary>
    /// <exception cref="KafkaException">Not every report arrived in <paramref name="timeout"/>.</exception>
    public Error? Wait(IProducer<byte[]?, byte[]?> producer, TimeSpan timeout, CancellationToken stop)
    {
        producer.Flush(timeout);
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            // Flush returns once librdkafka handed the reports over; their callbacks may still be running.
            while (_outstanding > 0)
            {
                stop.ThrowIfCancellationRequested();
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new KafkaException(new Error(ErrorCode.Local_TimedOut, "delivery reports of the transaction did not arrive in time"));
                }

                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(Math.Min(100, left.TotalMilliseconds)));
            }

            return _failure;
        }
    }
}
