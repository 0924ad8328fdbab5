using System.Buffers.Binary;
using System.Text;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Offsets;

/// <summary>
/// The offset map's file: an append-only log of blocks, each framed as length, CRC32C, payload,
/// so a torn last write (SIGKILL, power loss) is recognised and cut on open. A block holds the
/// changes of one flush: cuts (mappings dropped after a replay), then the new state of every
/// range that changed. Kinds: applied (idempotent mode, written before the producer cursor
/// moves), pending (exactly-once, written before the transaction commits) and committed (confirms
/// the pending block before it). A pending block counts only once confirmed or when its seq is
/// at or below the committed seq the agent read from its checkpoint; otherwise it belonged to a
/// transaction that never committed and is dropped.
/// </summary>
internal static class OffsetMapLog
{
    public const byte Applied = 1;
    public const byte Pending = 2;
    public const byte Committed = 3;
    private const byte UpsertEntry = 1;
    private const byte CutEntry = 2;
    private const int HeaderSize = 8;

    /// <summary>Replays the file; returns the table and the length of its whole blocks.</summary>
    public static (RangeTable Table, long ValidLength) Read(string path, long committedSeq)
    {
        var table = new RangeTable();
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (FileNotFoundException)
        {
            return (table, 0);
        }

        (long Seq, List<(byte Type, OffsetRange Range)> Entries)? staged = null;
        var at = 0;
        while (at + HeaderSize <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            if (length <= 0 || at + HeaderSize + length > bytes.Length)
            {
                break;
            }

            var payload = bytes.AsSpan(at + HeaderSize, length);
            if (RecordFormat.Crc(payload) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4)))
            {
                break;
            }

            var (kind, seq, entries) = Decode(payload.ToArray());
            if (staged is { } held && !(kind == Committed && seq >= held.Seq))
            {
                // Not confirmed in the file: it committed only if the checkpoint says so.
                if (held.Seq <= committedSeq)
                {
                    Apply(table, held.Entries);
                }
            }
            else if (staged is { } confirmed)
            {
                Apply(table, confirmed.Entries);
            }

            staged = null;
            if (kind == Applied)
            {
                Apply(table, entries);
            }
            else if (kind == Pending)
            {
                staged = (seq, entries);
            }

            at += HeaderSize + length;
        }

        if (staged is { } last && last.Seq <= committedSeq)
        {
            Apply(table, last.Entries);
        }

        return (table, at);
    }

    /// <summary>Appends one block (not yet durable: the caller syncs).</summary>
    public static void Append(FileStream file, byte kind, long seq, IReadOnlyList<OffsetRange> cuts, IReadOnlyList<OffsetRange> upserts)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(kind);
            writer.Write7BitEncodedInt64(seq);
            writer.Write7BitEncodedInt(cuts.Count + upserts.Count);
            foreach (var cut in cuts)
            {
                writer.Write(CutEntry);
                Write(writer, cut);
            }

            foreach (var range in upserts)
            {
                writer.Write(UpsertEntry);
                Write(writer, range);
            }
        }

        var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        Span<byte> header = stackalloc byte[HeaderSize];
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], RecordFormat.Crc(body));
        file.Write(header);
        file.Write(body);
        file.Flush();
    }

    /// <summary>Replaces the file with one applied block holding <paramref name="table"/>, atomically.</summary>
    public static void Rewrite(string path, RangeTable table, long seq)
    {
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Append(file, Applied, seq, [], table.Partitions.SelectMany(p => p.Value).ToList());
            NativeSync.DataSync(file.SafeFileHandle, temp);
        }

        File.Move(temp, path, overwrite: true);
        NativeSync.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    private static void Write(BinaryWriter writer, OffsetRange r)
    {
        writer.Write(r.SourceTopic);
        writer.Write7BitEncodedInt(r.SourcePartition);
        writer.Write7BitEncodedInt64(r.SourceFirst);
        writer.Write7BitEncodedInt64(r.SourceLast);
        writer.Write(r.TargetTopic);
        writer.Write7BitEncodedInt(r.TargetPartition);
        writer.Write7BitEncodedInt64(r.TargetFirst);
    }

    private static (byte Kind, long Seq, List<(byte Type, OffsetRange Range)> Entries) Decode(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var kind = reader.ReadByte();
        var seq = reader.Read7BitEncodedInt64();
        var count = reader.Read7BitEncodedInt();
        var entries = new List<(byte, OffsetRange)>(count);
        for (var i = 0; i < count; i++)
        {
            var type = reader.ReadByte();
            entries.Add((type, new OffsetRange(
                reader.ReadString(), reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt64(), reader.Read7BitEncodedInt64(),
                reader.ReadString(), reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt64())));
        }

        return (kind, seq, entries);
    }

    private static void Apply(RangeTable table, List<(byte Type, OffsetRange Range)> entries)
    {
        foreach (var (type, r) in entries)
        {
            if (type == CutEntry)
            {
                table.Cut(r.SourceTopic, r.SourcePartition, r.TargetTopic, r.TargetPartition, r.SourceFirst);
            }
            else
            {
                table.Upsert(r);
            }
        }
    }
}
