using System.Buffers.Binary;
using System.Text;

namespace KafkaSync.Engine.Link.Messages;

/// <summary>Reads a message body field by field; any shortfall or leftover is a protocol error naming the message.</summary>
internal ref struct BodyReader
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly string _message;
    private int _pos;

    public BodyReader(ReadOnlySpan<byte> body, string message)
    {
        _body = body;
        _message = message;
        _pos = 0;
    }

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (_body.Length - _pos < count)
        {
            throw Short();
        }

        var slice = _body.Slice(_pos, count);
        _pos += count;
        return slice;
    }

    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Bytes(8));

    public string String(int maxBytes)
    {
        var length = UInt16();
        if (length > maxBytes)
        {
            throw new LinkException(LinkFailure.Protocol, $"{_message} carries a {length}-byte string, over the limit of {maxBytes}");
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(Bytes(length));
        }
        catch (DecoderFallbackException)
        {
            throw new LinkException(LinkFailure.Protocol, $"{_message} carries a string that is not UTF-8");
        }
    }

    public readonly void End()
    {
        if (_pos != _body.Length)
        {
            throw new LinkException(LinkFailure.Protocol, $"{_message} has {_body.Length - _pos} unexpected trailing bytes");
        }
    }

    private readonly LinkException Short() =>
        new(LinkFailure.Protocol, $"{_message} is truncated ({_body.Length} bytes)");
}
