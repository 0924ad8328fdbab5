namespace KafkaSync.Engine.Sync;

/// <summary>
/// The highest seq below which every record was delivered. Deliveries complete out of seq order
/// across partitions; the produced cursor may only move to a seq with no gap beneath it.
/// </summary>
internal sealed class DeliveryTracker(long doneSeq)
{
    private readonly object _gate = new();
    private readonly SortedSet<long> _ahead = [];
    private long _done = doneSeq;
    private Exception? _failure;

    public long DoneSeq
    {
        get
        {
            lock (_gate)
            {
                return _done;
            }
        }
    }

    /// <summary>The first permanent delivery failure, if any.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    public void Delivered(long seq)
    {
        lock (_gate)
        {
            if (seq != _done + 1)
            {
                _ahead.Add(seq);
                return;
            }

            _done = seq;
            while (_ahead.Remove(_done + 1))
            {
                _done++;
            }
        }
    }

    /// <summary>Every seq up to <paramref name="seq"/> is delivered (a committed transaction).</summary>
    public void DeliveredThrough(long seq)
    {
        lock (_gate)
        {
            _done = Math.Max(_done, seq);
            _ahead.RemoveWhere(s => s <= _done);
            while (_ahead.Remove(_done + 1))
            {
                _done++;
            }
        }
    }

    public void Failed(Exception error) => Interlocked.CompareExchange(ref _failure, error, null);
}
