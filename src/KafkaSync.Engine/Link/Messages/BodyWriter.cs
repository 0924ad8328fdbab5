using System.Buffers.Binary;
using System.Text;

namespace KafkaSync.Engine.Link.Messages;

/// <summary>Builds a small control-message body.</summary>
internal sealed class BodyWriter
{
    private readonly MemoryStream _buffer = new(64);

    public BodyWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public BodyWriter UInt16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        return Bytes(b);
    }

    public BodyWriter Int64(long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, value);
        return Bytes(b);
    }

    public BodyWriter String(string value, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > maxBytes)
        {
            // Control messages are bounded on the wire; cut rather than fail (only reasons and ids travel here).
            bytes = bytes[..maxBytes];
            while (bytes.Length > 0 && (bytes[^1] & 0xC0) == 0x80)
            {
                bytes = bytes[..^1];
            }

            if (bytes.Length > 0 && bytes[^1] >= 0xC0)
            {
                bytes = bytes[..^1];
            }
        }

        UInt16((ushort)bytes.Length);
        return Bytes(bytes);
    }

    public byte[] ToArray() => _buffer.ToArray();
}
