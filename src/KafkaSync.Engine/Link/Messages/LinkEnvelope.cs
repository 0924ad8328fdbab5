using System.Buffers.Binary;

namespace KafkaSync.Engine.Link.Messages;

/// <summary>
/// Every message is <c>type (1 byte) | body length (4 bytes, big-endian) | body</c>. The length
/// is checked against a per-type limit before a single body byte is buffered, so a peer cannot
/// make us allocate more than the limit by declaring a huge size.
/// </summary>
internal static class LinkEnvelope
{
    public const int HeaderLength = 5;

    /// <summary>Bound for every message except frames: handshake, acks, heartbeats, goodbyes.</summary>
    public const int MaxControlBody = 1024;

    public static void WriteHeader(Span<byte> destination, LinkMessageType type, int bodyLength)
    {
        destination[0] = (byte)type;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..], bodyLength);
    }

    /// <summary>Parses and bounds-checks a header; throws <see cref="LinkException"/> on anything unexpected.</summary>
    public static (LinkMessageType Type, int BodyLength) ReadHeader(ReadOnlySpan<byte> header, int maxFrameBody)
    {
        var type = (LinkMessageType)header[0];
        var length = BinaryPrimitives.ReadInt32BigEndian(header[1..]);
        var limit = type switch
        {
            LinkMessageType.Frame => maxFrameBody,
            >= LinkMessageType.Hello and <= LinkMessageType.Gap => MaxControlBody,
            _ => throw new LinkException(LinkFailure.Protocol, $"unknown message type {header[0]}"),
        };
        if (length < 0 || length > limit)
        {
            throw new LinkException(LinkFailure.Protocol, $"{type} message declares {(uint)length} bytes, over the limit of {limit}");
        }

        return (type, length);
    }
}
