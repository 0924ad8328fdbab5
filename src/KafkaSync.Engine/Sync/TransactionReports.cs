using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// What the exactly-once mode's producer reports. Each record of the open transaction is
/// produced with its batch's number and its place in the batch as opaque; its report carries its
/// target partition and offset, which the offset map needs before the commit. Reports of an
/// earlier, aborted batch (librdkafka purges its records) carry another number and are ignored.
/// Errors and log lines are passed on.
/// </summary>
internal sealed class TransactionReports(Action<Error> error, Action<SyslogLevel, string, string> log) : IProducerEvents
{
    private readonly object _gate = new();
    private (int Partition, long Offset)?[] _placed = [];
    private int _batch;
    private int _outstanding;
    private Error? _failure;

    /// <summary>Starts the reports of a new batch of <paramref name="size"/> records.</summary>
    public void Start(int size)
    {
        lock (_gate)
        {
            _batch++;
            _placed = new (int, long)?[size];
            _outstanding = 0;
            _failure = null;
        }
    }

    /// <summary>The opaque of the record at <paramref name="index"/> of the current batch; counts it as awaited.</summary>
    public long Expect(int index)
    {
        lock (_gate)
        {
            _outstanding++;
            return ((long)_batch << 32) | (uint)index;
        }
    }

    /// <summary>Where the record at <paramref name="index"/> landed, once reported.</summary>
    public (int Partition, long Offset)? Placed(int index) => _placed[index];

    /// <summary>Waits for every awaited report, or the first failure, which it returns.</summary>
    /// <exception cref="KafkaException">Not every report arrived in <paramref name="timeout"/>.</exception>
    public Error? Wait(TimeSpan timeout, CancellationToken stop)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (_outstanding > 0 && _failure is null)
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

    public void Delivered(in Delivery delivery)
    {
        lock (_gate)
        {
            // The checkpoint record (opaque -1) and records of an earlier batch are not awaited.
            if (delivery.Opaque < 0 || (int)(delivery.Opaque >> 32) != _batch)
            {
                return;
            }

            if (delivery.Error != ErrorCode.NoError)
            {
                _failure ??= new Error(delivery.Error);
            }
            else
            {
                _placed[(int)(uint)delivery.Opaque] = (delivery.Partition, delivery.Offset);
            }

            _outstanding--;
            Monitor.PulseAll(_gate);
        }
    }

    public void Error(Error clientError) => error(clientError);

    public void Log(SyslogLevel level, string facility, string message) => log(level, facility, message);

    public void Failed(Exception exception)
    {
        lock (_gate)
        {
            // The batch cannot be trusted to be complete: it is aborted and produced again.
            _failure ??= new Error(ErrorCode.Local_Fail, $"handling a delivery report failed: {exception.Message}");
            Monitor.PulseAll(_gate);
        }
    }
}
