using System.Buffers;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Compression;

namespace KafkaSync.Engine.Tests.Framing;

public sealed class FrameDecoderRejectionTests
{
    private static readonly FrameOptions Options = new();

    private static byte[] ValidFrame(FrameOptions? options = null, long firstSeq = 1, int count = 50)
    {
        using var encoder = new FrameEncoder(options ?? Options);
        return FrameTestData.Encode(encoder, FrameTestData.Records(firstSeq, count));
    }

    private static FrameException Reject(byte[] bytes, FrameOptions? options = null, Action<FrameDecoder>? setup = null)
    {
        using var decoder = new FrameDecoder(options ?? Options);
        setup?.Invoke(decoder);
        var input = new ReadOnlySequence<byte>(bytes);
        var before = input.Length;
        var ex = Assert.Throws<FrameException>(() => decoder.TryDecode(ref input, out _));
        Assert.Equal(before, input.Length);
        return ex;
    }

    [Fact]
    public void Garbage_is_refused_at_its_first_byte_without_waiting_for_a_header()
    {
        Assert.Equal(FrameError.BadMagic, Reject("G"u8.ToArray()).Reason);
        Assert.Equal(FrameError.BadMagic, Reject("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray()).Reason);
        Assert.Equal(FrameError.BadMagic, Reject(new byte[100]).Reason);
    }

    [Fact]
    public void A_wrong_version_is_refused_naming_both_versions()
    {
        var frame = ValidFrame();
        frame[4] = 2;
        var ex = Reject(frame);
        Assert.Equal(FrameError.BadVersion, ex.Reason);
        Assert.Contains("version 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_codec_or_flag_is_refused()
    {
        var frame = ValidFrame();
        frame[5] = 9;
        Assert.Equal(FrameError.BadCodec, Reject(frame).Reason);
        frame = ValidFrame();
        frame[6] = 0x80;
        Assert.Equal(FrameError.BadFlags, Reject(frame).Reason);
    }

    [Fact]
    public void Every_truncation_needs_more_bytes_and_consumes_nothing()
    {
        var frame = ValidFrame();
        using var decoder = new FrameDecoder(Options);
        for (var length = 0; length < frame.Length; length++)
        {
            var input = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.False(decoder.TryDecode(ref input, out _));
            Assert.Equal(length, input.Length);
        }

        var whole = new ReadOnlySequence<byte>(frame);
        Assert.True(decoder.TryDecode(ref whole, out var decoded));
        Assert.Equal(50, decoded.Records.Count);
    }

    [Theory]
    [InlineData(20, 70_000, "record count")]
    [InlineData(20, 0, "record count")]
    [InlineData(24, int.MaxValue, "raw size")]
    [InlineData(24, -1, "raw size")]
    [InlineData(28, int.MaxValue, "wire size")]
    [InlineData(28, 0, "wire size")]
    public void Oversized_declared_lengths_are_refused_from_the_header_alone(int offset, int value, string field)
    {
        var frame = ValidFrame();
        FrameForge.SetInt32(frame, offset, value);

        // Only the header is offered: the decoder must not wait for (or buffer) the declared bytes.
        var ex = Reject(frame[..FrameHeader.Size]);
        Assert.Equal(FrameError.SizeLimit, ex.Reason);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_larger_than_the_receivers_limit_is_refused_before_decompressing()
    {
        var big = new FrameOptions { MaxFrameRawBytes = 1 << 20 };
        var frame = ValidFrame(big, count: 3000);
        var ex = Reject(frame, new FrameOptions { MaxFrameRawBytes = 64 << 10, TargetFrameBytes = 32 << 10 });
        Assert.Equal(FrameError.SizeLimit, ex.Reason);
    }

    [Fact]
    public void A_damaged_payload_fails_the_crc()
    {
        var frame = ValidFrame();
        frame[^5] ^= 0x10;
        var ex = Reject(frame);
        Assert.Equal(FrameError.Crc, ex.Reason);
    }

    [Fact]
    public void A_damaged_header_field_fails_the_crc()
    {
        var frame = ValidFrame();
        frame[12] ^= 0x01; // first seq
        Assert.Equal(FrameError.Crc, Reject(frame).Reason);
    }

    [Fact]
    public void A_payload_that_decompresses_past_its_declared_size_is_a_bomb_and_is_refused()
    {
        // 8 MiB of zeros compress to a few hundred bytes; the header claims 1,000 bytes.
        var zeros = new byte[8 << 20];
        using var zstd = new ZstdCompressor(3);
        var compressed = new byte[ZstdCompressor.CompressBound(zeros.Length)];
        var size = zstd.Compress(zeros, compressed);
        var frame = FrameForge.Seal(FrameCodec.Zstd, 0, 0, 1, 1, 1000, compressed.AsSpan(0, size));
        var ex = Reject(frame);
        Assert.Equal(FrameError.Decompress, ex.Reason);
        Assert.Contains("more than the 1000 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_that_decompresses_short_of_its_declared_size_is_refused()
    {
        var data = new byte[1000];
        using var zstd = new ZstdCompressor(3);
        var compressed = new byte[ZstdCompressor.CompressBound(data.Length)];
        var size = zstd.Compress(data, compressed);
        var frame = FrameForge.Seal(FrameCodec.Zstd, 0, 0, 1, 1, 2000, compressed.AsSpan(0, size));
        Assert.Equal(FrameError.Decompress, Reject(frame).Reason);
    }

    [Fact]
    public void A_columnar_layout_that_replays_a_table_entry_into_a_bomb_is_refused()
    {
        // A 60 KiB topic name used by 60,000 records would rebuild to 3.6 GB; the output cap stops it at the limit.
        var layout = new List<byte>();
        var topic = new byte[60_000];
        byte[] tables = [.. Varint(1), .. Varint((ulong)topic.Length), .. topic, .. Varint(0), .. Varint(1), .. Varint(0), .. Varint(0)];
        byte[][] columns =
        [
            tables,
            Enumerable.Repeat((byte)1, 60_000).ToArray(), // every record in group 1
            new byte[60_000], new byte[60_000], new byte[60_000], // offset, timestamp, timestamp type
            new byte[60_000], new byte[60_000], new byte[60_000], // key and value lengths (null), header count
            [], [], [], [], [], [],
        ];
        foreach (var column in columns)
        {
            layout.AddRange(Varint((ulong)column.Length));
        }

        foreach (var column in columns)
        {
            layout.AddRange(column);
        }

        var frame = FrameForge.Seal(FrameCodec.None, 1, 0, 1, 60_000, layout.Count, layout.ToArray());
        var ex = Reject(frame);
        Assert.Equal(FrameError.SizeLimit, ex.Reason);
    }

    [Fact]
    public void A_column_length_near_two_to_the_64_is_a_bad_layout_not_a_crash()
    {
        // As signed numbers the first two lengths are -10 and +40: they add up to the 30 bytes that follow.
        byte[] layout = [.. Varint(ulong.MaxValue - 9), .. Varint(40), .. new byte[12], .. new byte[30]];
        var frame = FrameForge.Seal(FrameCodec.None, 1, 0, 1, 1, layout.Length, layout);
        Assert.Equal(FrameError.BadLayout, Reject(frame).Reason);
    }

    [Fact]
    public void A_frame_naming_an_unknown_dictionary_is_refused_naming_it()
    {
        var samples = FrameTestData.Records(1, 2000).Select(r => r.Payload).ToArray();
        using var dictionary = ZstdDictionary.Train(samples, 8192);
        using var encoder = new FrameEncoder(Options, dictionary);
        var frame = FrameTestData.Encode(encoder, FrameTestData.Records(1, 10));
        var ex = Reject(frame);
        Assert.Equal(FrameError.UnknownDictionary, ex.Reason);
        Assert.Contains(dictionary.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);

        using var decoder = new FrameDecoder(Options, [dictionary]);
        FrameTestData.AssertSame(FrameTestData.Records(1, 10), FrameTestData.DecodeOne(decoder, frame));
    }

    [Fact]
    public void A_frame_that_does_not_start_at_the_expected_seq_is_a_gap()
    {
        var frame = ValidFrame(firstSeq: 101);
        var ex = Reject(frame, setup: d => d.ExpectedFirstSeq = 100);
        Assert.Equal(FrameError.SeqGap, ex.Reason);
    }

    [Fact]
    public void A_frame_continuing_a_stream_the_connection_never_saw_is_refused()
    {
        using var encoder = new FrameEncoder(Options);
        FrameTestData.Encode(encoder, FrameTestData.Records(1, 10));
        var second = FrameTestData.Encode(encoder, FrameTestData.Records(11, 10));
        Assert.Equal(FrameError.Decompress, Reject(second).Reason);
    }

    [Fact]
    public void After_a_bad_frame_the_decoder_refuses_to_go_on()
    {
        using var decoder = new FrameDecoder(Options);
        var bad = new ReadOnlySequence<byte>("XXXX"u8.ToArray());
        Assert.Throws<FrameException>(() => decoder.TryDecode(ref bad, out _));
        var good = new ReadOnlySequence<byte>(ValidFrame());
        var ex = Assert.Throws<InvalidOperationException>(() => decoder.TryDecode(ref good, out _));
        Assert.Contains("close the connection", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_layouts_behind_a_valid_crc_never_crash_the_decoder()
    {
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var layout = new byte[random.Next(1, 400)];
            random.NextBytes(layout);
            if (i % 2 == 0)
            {
                // Plausible column tables make the reader go deeper than the first check.
                for (var c = 0; c < 16 && c < layout.Length; c++)
                {
                    layout[c] = (byte)random.Next(0, 12);
                }
            }

            var frame = FrameForge.Seal(FrameCodec.None, (byte)(i % 2), 0, 1, random.Next(1, 20), layout.Length, layout);
            using var decoder = new FrameDecoder(Options);
            var input = new ReadOnlySequence<byte>(frame);
            try
            {
                decoder.TryDecode(ref input, out _);
            }
            catch (FrameException)
            {
                // Refused with a reason: what we want.
            }
        }
    }

    private static byte[] Varint(ulong value)
    {
        var buffer = new byte[10];
        return buffer[..KafkaSync.Engine.Records.VarInt.WriteUnsigned(buffer, value)];
    }
}
