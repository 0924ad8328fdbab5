using System.Buffers;
using System.Runtime.CompilerServices;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// Records gathered for one HTTP write. Their lines are copied into the request body as they
/// arrive, in a buffer rented from the shared pool, and each record keeps only its place in it,
/// in an array rented from the pool too (a batch of one-line records needs one as large as the
/// large-object threshold).
/// Holding every received value until the write, as the batch once did, kept about a batch's
/// worth of small arrays alive per writer: they outlived the young generation and made most
/// collections full gen-1 ones, with pauses that stopped consuming and writing alike.
/// </summary>
internal sealed class PointBatch
{
    private readonly int initialBytes;
    private readonly int initialRecords;
    private BatchRecord[] records = [];
    private int recordCount;
    private byte[]? body;
    private int length;

    /// <param name="expectedBytes">The body size to rent at first (the previous batch's is a good guess); it grows as needed.</param>
    /// <param name="expectedRecords">The number of records to make room for at first; it grows as needed.</param>
    public PointBatch(int expectedBytes = 64 << 10, int expectedRecords = 256)
    {
        initialBytes = Math.Max(4096, expectedBytes);
        initialRecords = Math.Max(16, expectedRecords);
    }

    public DateTime StartedAt { get; private set; }

    public int Points { get; private set; }

    /// <summary>The body's length: every record's lines, each followed by a newline.</summary>
    public int Bytes => length;

    public int Count => recordCount;

    public IReadOnlyList<BatchRecord> Records => new ArraySegment<BatchRecord>(records, 0, recordCount);

    public bool IsEmpty => recordCount == 0;

    /// <summary>
    /// Appends a record's lines to the body. <paramref name="original"/> is the record's value when
    /// its lines were converted from it (JSON), kept for a dead letter; null when the lines are the value.
    /// </summary>
    public void Add(int partition, long offset, long timestamp, ReadOnlySpan<byte> lines, int points, byte[]? original)
    {
        if (recordCount == 0)
        {
            StartedAt = DateTime.UtcNow;
        }

        Reserve(lines.Length + 1);
        lines.CopyTo(body.AsSpan(length));
        if (recordCount == records.Length)
        {
            records = Grow(records, recordCount, initialRecords);
        }

        records[recordCount++] = new BatchRecord(partition, offset, timestamp, length, lines.Length, points, original);
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
        if (first == 0 && count == recordCount)
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

    /// <summary>Gives back the records' array once the batch is done with: written, or dropped for a replay.</summary>
    public void ReturnRecords()
    {
        if (records.Length > 0)
        {
            ArrayPool<BatchRecord>.Shared.Return(records, clearArray: true);
        }

        records = [];
        recordCount = 0;
    }

    private void Reserve(int more)
    {
        if (body == null || length + more > body.Length)
        {
            body = Grow(body ?? [], length, Math.Max(length + more, initialBytes));
        }
    }

    /// <summary>Rents an array at least twice as large (and at least <paramref name="least"/>), keeps the first <paramref name="used"/> items, and returns the old one.</summary>
    private static T[] Grow<T>(T[] old, int used, int least)
    {
        var grown = ArrayPool<T>.Shared.Rent(Math.Max(least, old.Length * 2));
        old.AsSpan(0, used).CopyTo(grown);
        if (old.Length > 0)
        {
            ArrayPool<T>.Shared.Return(old, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }

        return grown;
    }
}
