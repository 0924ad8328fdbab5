namespace KafkaSync.Engine.Link;

/// <summary>
/// The bytes sent but not yet acknowledged as durable. The sender waits for room before each
/// frame, so a long round trip keeps up to the window in flight instead of one frame at a time,
/// and a slow target holds the sender back instead of piling data into socket buffers.
/// </summary>
internal sealed class SendWindow
{
    private readonly object _gate = new();
    private readonly Queue<(long LastSeq, int Bytes)> _frames = new();
    private readonly SemaphoreSlim _freed = new(0);
    private readonly long _limit;
    private long _inFlight;

    public SendWindow(long limit) => _limit = limit;

    public long InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Waits until <paramref name="bytes"/> fit (a frame always fits an empty window); returns true if it had to wait.</summary>
    public async ValueTask<bool> WaitForRoomAsync(int bytes, CancellationToken ct)
    {
        var waited = false;
        while (true)
        {
            lock (_gate)
            {
                if (_inFlight == 0 || _inFlight + bytes <= _limit)
                {
                    return waited;
                }
            }

            waited = true;
            await _freed.WaitAsync(ct);
        }
    }

    public void Add(long lastSeq, int bytes)
    {
        lock (_gate)
        {
            _frames.Enqueue((lastSeq, bytes));
            _inFlight += bytes;
        }
    }

    /// <summary>Frees every frame whose records are all at or below <paramref name="ackedSeq"/>.</summary>
    public void Release(long ackedSeq)
    {
        var freed = false;
        lock (_gate)
        {
            while (_frames.Count > 0 && _frames.Peek().LastSeq <= ackedSeq)
            {
                _inFlight -= _frames.Dequeue().Bytes;
                freed = true;
            }
        }

        if (freed && _freed.CurrentCount == 0)
        {
            _freed.Release();
        }
    }
}
