using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Framing;

/// <summary>The plain layout: each payload after its varint length. The baseline the columnar layout is measured against.</summary>
internal static class RowLayout
{
    public static void Write(IReadOnlyList<QueueRecord> records, ByteColumn output)
    {
        for (var i = 0; i < records.Count; i++)
        {
            var payload = records[i].Payload.Span;
            output.WriteVarInt((ulong)payload.Length);
            output.WriteBytes(payload);
        }
    }

    /// <summary>Finds the payloads in <paramref name="raw"/>: <paramref name="starts"/>[i] and <paramref name="ends"/>[i] delimit payload i.</summary>
    public static void Read(ReadOnlySpan<byte> raw, int count, Span<int> starts, Span<int> ends)
    {
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            if (!VarInt.TryReadUnsigned(raw[pos..], out var length, out var used))
            {
                throw new FrameException(FrameError.BadLayout, $"record {i} of {count} has no length");
            }

            pos += used;
            if (length > (ulong)(raw.Length - pos))
            {
                throw new FrameException(FrameError.BadLayout, $"record {i} of {count} declares {length} bytes, {raw.Length - pos} are left");
            }

            starts[i] = pos;
            pos += (int)length;
            ends[i] = pos;
        }

        if (pos != raw.Length)
        {
            throw new FrameException(FrameError.BadLayout, $"{raw.Length - pos} bytes after the last record");
        }
    }
}
