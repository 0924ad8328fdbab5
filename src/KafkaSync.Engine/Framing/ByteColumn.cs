using System.Runtime.CompilerServices;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Framing;

/// <summary>A reusable, growable byte buffer the encoder writes one column into.</summary>
internal sealed class ByteColumn(int initialCapacity = 4096)
{
    private byte[] _buffer = new byte[initialCapacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>The written bytes, borrowed: valid until the column is reset or written again.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Length);

    public void Reset() => Length = 0;

    /// <summary>Drops everything written after <paramref name="length"/>.</summary>
    public void Truncate(int length) => Length = length;

    /// <summary>A copy of the written bytes.</summary>
    public byte[] ToArray() => Written.ToArray();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (Length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[Length++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarInt(ulong value)
    {
        if (_buffer.Length - Length < VarInt.MaxLength)
        {
            Grow(VarInt.MaxLength);
        }

        if (value < 0x80)
        {
            _buffer[Length++] = (byte)value;
            return;
        }

        Length += VarInt.WriteUnsigned(_buffer.AsSpan(Length), value);
    }

    public void WriteBytes(ReadOnlySpan<byte> data)
    {
        if (_buffer.Length - Length < data.Length)
        {
            Grow(data.Length);
        }

        data.CopyTo(_buffer.AsSpan(Length));
        Length += data.Length;
    }

    private void Grow(int needed) =>
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + needed));
}
