namespace KafkaSync.Engine.Sync;

/// <summary>
/// The highest seq below which every record was delivered. Deliveries complete out of seq order
/// across partitions; the produced cursor may only move to a seq with no gap beneath it. A
/// circular bitmap of the seqs above that point makes each delivery O(1) amortized.
/// </summary>
internal sealed class DeliveryTracker(long doneSeq)
{
    private readonly object _gate = new();
    private bool[] _ahead = new bool[1 << 16];
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
            if (seq <= _done)
            {
                return;
            }

            while (seq - _done >= _ahead.Length)
            {
                Grow();
            }

            _ahead[Slot(seq)] = true;
            while (_ahead[Slot(_done + 1)])
            {
                _ahead[Slot(_done + 1)] = false;
                _done++;
            }
        }
    }

    /// <summary>Every seq up to <paramref name="seq"/> is delivered (a committed transaction).</summary>
    public void DeliveredThrough(long seq)
    {
        lock (_gate)
        {
            DeliveredThroughLocked(seq);
        }
    }

    private void DeliveredThroughLocked(long seq)
    {
        if (seq - _done >= _ahead.Length)
        {
            // Nothing above the old point can be pending beyond a jump this far: start the bitmap afresh.
            Array.Clear(_ahead);
            _done = Math.Max(_done, seq);
        }

        while (_done < seq)
        {
            _ahead[Slot(_done + 1)] = false;
            _done++;
        }

        while (_ahead[Slot(_done + 1)])
        {
            _ahead[Slot(_done + 1)] = false;
            _done++;
        }
    }

    /// <summary>Seqs <paramref name="first"/> to <paramref name="last"/> are lost in the queue: nothing to deliver, and nothing to wait for.</summary>
    public void Skipped(long first, long last)
    {
        lock (_gate)
        {
            if (first <= _done + 1)
            {
                // The usual case: everything before the gap is delivered, so the gap moves the point at once.
                DeliveredThroughLocked(last);
                return;
            }
        }

        for (var seq = first; seq <= last; seq++)
        {
            Delivered(seq);
        }
    }

    public void Failed(Exception error) => Interlocked.CompareExchange(ref _failure, error, null);

    private int Slot(long seq) => (int)(seq & (_ahead.Length - 1));

    private void Grow()
    {
        var bigger = new bool[_ahead.Length * 2];
        for (var s = _done + 1; s < _done + _ahead.Length; s++)
        {
            bigger[(int)(s & (bigger.Length - 1))] = _ahead[Slot(s)];
        }

        _ahead = bigger;
    }
}
