namespace KafkaSync.Engine.Link;

/// <summary>
/// Holds copies of queue payloads until <see cref="Reset"/>, in blocks that are reused. The link's
/// encoder keeps a frame's records until it encodes them, so each payload read from the queue's
/// reused buffer must be copied; an array per record was nearly all the source agent's garbage
/// (about 100 MB/s while it sent), which kept its managed heap tens of MiB above its live data.
/// </summary>
internal sealed class PayloadArena
{
    // Large enough for many records per block, and reused, so its place on the large object heap
    // costs nothing; a frame of N bytes holds about N / BlockBytes + 1 blocks.
    private const int BlockBytes = 256 << 10;

    private readonly List<byte[]> _blocks = [];
    private int _block;
    private int _used;

    /// <summary>A copy of <paramref name="payload"/> that stays valid until <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > BlockBytes)
        {
            return payload.ToArray();
        }

        if (_blocks.Count == 0 || _used + payload.Length > BlockBytes)
        {
            _block = _blocks.Count == 0 ? 0 : _block + 1;
            if (_block == _blocks.Count)
            {
                _blocks.Add(new byte[BlockBytes]);
            }

            _used = 0;
        }

        var block = _blocks[_block];
        payload.CopyTo(block.AsSpan(_used));
        var copy = new ReadOnlyMemory<byte>(block, _used, payload.Length);
        _used += payload.Length;
        return copy;
    }

    /// <summary>Every copy made so far may be overwritten from now on.</summary>
    public void Reset()
    {
        _block = 0;
        _used = 0;
    }
}
