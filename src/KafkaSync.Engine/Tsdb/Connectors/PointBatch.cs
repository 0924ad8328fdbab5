using System.Buffers;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// Records gathered for one HTTP write. Their lines are copied into the request body as they
/// arrive, in a buffer rented from the shared pool, and each record keeps only its place in it.
/// Holding every received value until the write, as the batch once did, kept about a batch's
/// worth of small arrays alive per writer: they outlived the young generation and made most
/// collections full gen-1 ones, with pauses that stopped consuming and writing alike.
/// </summary>
internal sealed class PointBatch
{
    private readonly List<BatchRecord> records = [];
    private readonly int initialBytes;
    private byte[]? body;
    private int length;

    /// <param name="expectedBytes">The body size to rent at first (the previous batch's is a good guess); it grows as needed.</param>
    public PointBatch(int expectedBytes = 64 << 10)
    {
        initialBytes = Math.Max(4096, expectedBytes);
    }

    public DateTime StartedAt { get; private set; }

    public int Points { get; private set; }

    /// <summary>The body's length: every record's lines, each followed by a newline.</summary>
    public int Bytes => length;

    public int Count => records.Count;

    public IReadOnlyList<BatchRecord> Records => records;

    public bool IsEmpty => records.Count == 0;

    /// <summary>
    /// Appends a record's lines to the body. <paramref name="original"/> is the record's value when
    /// its lines were converted from it (JSON), kept for a dead letter; null when the lines are the value.
    /// </summary>
    public void Add(int partition, long offset, long timestamp, ReadOnlySpan<byte> lines, int points, byte[]? original)
    {
        if (records.Count == 0)
        {
            StartedAt = DateTime.UtcNow;
        }

        Reserve(lines.Length + 1);
        lines.CopyTo(body.AsSpan(length));
        records.Add(new BatchRecord(partition, offset, timestamp, length, lines.Length, points, original));
        length += lines.Length;
        body![length++] = (byte)'\n';
        Points += points;
    }

    /// <summary>The lines of <paramref name="record"/>, without its newline.</summary>
    public ReadOnlySpan<byte> Lines(in BatchRecord record) => body.AsSpan(record.Start, record.Length);

    /// <summary>The points of records <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1.</summary>
    public int PointsOf(int first, int count)
    {
        var points = 0;
        for (var i = first; i < first + count; i++)
        {
            points += records[i].Points;
        }

        return points;
    }

    /// <summary>
    /// The request body for a run of records: the batch's own buffer for all of them, else their
    /// lines joined in a newly rented buffer. Give a buffer back with <see cref="Return"/> only
    /// once nothing reads it any more.
    /// </summary>
    public (byte[] Buffer, int Length) Body(int first, int count)
    {
        if (first == 0 && count == records.Count)
        {
            return (body ?? [], length);
        }

        var size = 0;
        for (var i = first; i < first + count; i++)
        {
            size += records[i].Length + 1;
        }

        var joined = ArrayPool<byte>.Shared.Rent(size);
        var at = 0;
        for (var i = first; i < first + count; i++)
        {
            Lines(records[i]).CopyTo(joined.AsSpan(at));
            at += records[i].Length;
            joined[at++] = (byte)'\n';
        }

        return (joined, size);
    }

    /// <summary>
    /// Gives back a buffer from <see cref="Body"/>. The batch's own buffer may be given back once
    /// the whole batch is written: afterwards only the records' places are read, not their lines.
    /// </summary>
    public void Return(byte[] buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        if (ReferenceEquals(buffer, body))
        {
            body = null;
        }

        ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Reserve(int more)
    {
        if (body != null && length + more <= body.Length)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(length + more, body == null ? initialBytes : body.Length * 2));
        if (body != null)
        {
            body.AsSpan(0, length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(body);
        }

        body = grown;
    }
}
