using System.Buffers;
using System.Text;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Tests.Framing;

/// <summary>JSON-like values sent as templates and field columns (FrameOptions.FieldColumns).</summary>
public sealed class FieldColumnTests
{
    private static readonly FrameOptions Uncompressed = new() { Codec = FrameCodec.None };

    [Theory]
    [InlineData("{\"a\":\"x\\\"y\",\"b\":\"\\\\\",\"c\":\"\"}")] // escaped quote, escaped backslash, empty string
    [InlineData("{ \"spaced\" :\t\"v\" ,\n\"n\" : -1.5e+10 }")] // whitespace around keys and values
    [InlineData("[1,2,\"three\",[4,{\"five\":5}],true,false,null]")] // arrays, nesting, literals
    [InlineData("{\"minus\":-,\"dots\":1.2.3,\"e\":e5}")] // not JSON, still cut and put back
    [InlineData("{\"unterminated\":\"abc")] // no closing quote: stored whole
    [InlineData("{\"nul\":\"a\0b\"}")] // a NUL: stored whole
    [InlineData("{\"escaped nul\":\"a\\\0b\"}")]
    [InlineData("{\"key\0\":1}")]
    [InlineData("{\"ends with a backslash\":\"\\")]
    [InlineData("{\"utf8\":\"grüße, 東京\",\"emoji\":\"🚀\"}")]
    [InlineData(" {\"leading space\":1}")] // does not start like JSON: stored whole
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("plain text")]
    public void Every_value_comes_back_byte_for_byte(string value)
    {
        var records = Enumerable.Range(0, 5).Select(i => Record(i, Encoding.UTF8.GetBytes(value))).ToArray();
        using var encoder = new FrameEncoder(new FrameOptions());
        using var decoder = new FrameDecoder(new FrameOptions());
        FrameTestData.AssertSame(records, FrameTestData.DecodeOne(decoder, FrameTestData.Encode(encoder, records)));
    }

    [Fact]
    public void Field_names_cross_once_per_frame_and_each_value_once()
    {
        var records = Enumerable.Range(0, 200)
            .Select(i => Record(i, Encoding.UTF8.GetBytes($"{{\"customer_status\":\"status-{i}\",\"amount\":{i * 3}}}")))
            .ToArray();
        var frame = EncodeUncompressed(records, fieldColumns: true);
        var plain = EncodeUncompressed(records, fieldColumns: false);

        Assert.Equal(1, Occurrences(frame, "\"customer_status\":"));
        Assert.Equal(200, Occurrences(plain, "\"customer_status\":"));
        Assert.Equal(1, Occurrences(frame, "status-199"));
        // Each record still has a template number and two field lengths, but no value length.
        Assert.True(frame.Length < plain.Length - (199 * ("{\"customer_status\":\"\",\"amount\":}".Length - 3)), $"{frame.Length} vs {plain.Length} bytes");

        using var decoder = new FrameDecoder(Uncompressed);
        FrameTestData.AssertSame(records, FrameTestData.DecodeOne(decoder, frame));
    }

    [Fact]
    public void Shapes_beyond_the_template_cap_go_whole_and_still_come_back()
    {
        // Every value has its own shape (a key of its own), so the frame needs more templates than allowed.
        var count = FieldColumnWriter.MaxTemplates + 100;
        var records = Enumerable.Range(0, count)
            .Select(i => Record(i, Encoding.UTF8.GetBytes($"{{\"field{i}\":{i}}}")))
            .ToArray();
        var frame = EncodeUncompressed(records, fieldColumns: true);

        Assert.Equal(1, Occurrences(frame, $"\"field{count - 1}\":{count - 1}")); // whole: the value is still in one piece
        Assert.Equal(0, Occurrences(frame, "\"field0\":0")); // templated: its number went to a field column
        using var decoder = new FrameDecoder(Uncompressed);
        FrameTestData.AssertSame(records, FrameTestData.DecodeOne(decoder, frame));
    }

    [Fact]
    public void Without_field_columns_frames_carry_no_flag_and_decode_as_before()
    {
        var records = FrameTestData.Records(1, 20);
        var frame = EncodeUncompressed(records, fieldColumns: false);
        Assert.Equal(0, frame[6] & 4);
        using var decoder = new FrameDecoder(Uncompressed);
        FrameTestData.AssertSame(records, FrameTestData.DecodeOne(decoder, frame));
    }

    [Fact]
    public void The_field_columns_flag_without_the_columnar_layout_is_refused()
    {
        var frame = FrameForge.Seal(FrameCodec.None, 4, 0, 1, 1, 3, [1, 2, 3]);
        Assert.Equal(FrameError.BadFlags, Reject(frame).Reason);
    }

    [Fact]
    public void A_template_replayed_into_a_bomb_is_refused()
    {
        // A 60 KB template used by 60,000 records would rebuild to 3.6 GB; the output cap stops it at the limit.
        var template = Enumerable.Repeat((byte)'x', 60_000).ToArray();
        byte[] templates = [.. Varint(1), .. Varint((ulong)template.Length), .. template];
        var frame = ForgeTemplated(60_000, templates, fieldLengths: [], fieldValues: []);
        Assert.Equal(FrameError.SizeLimit, Reject(frame).Reason);
    }

    [Fact]
    public void Templates_asking_for_more_fields_than_the_frame_holds_are_a_bad_layout()
    {
        // 60,000 records of a template with 1,000 markers: 60 million fields, against 3 bytes of lengths.
        byte[] templates = [.. Varint(1), .. Varint(1000), .. new byte[1000]];
        var frame = ForgeTemplated(60_000, templates, fieldLengths: [1, 1, 1], fieldValues: [7, 7, 7]);
        var ex = Reject(frame);
        Assert.Equal(FrameError.BadLayout, ex.Reason);
        Assert.Contains("fields", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_lengths_that_do_not_add_up_to_the_field_values_are_a_bad_layout()
    {
        byte[] templates = [.. Varint(1), .. Varint(3), (byte)'[', 0, (byte)']'];
        Assert.Equal(FrameError.BadLayout, Reject(ForgeTemplated(2, templates, fieldLengths: [1, 1], fieldValues: [7, 7, 7])).Reason);
        Assert.Equal(FrameError.BadLayout, Reject(ForgeTemplated(2, templates, fieldLengths: [2, 2], fieldValues: [7, 7, 7])).Reason);
        Assert.Equal(FrameError.BadLayout, Reject(ForgeTemplated(2, [.. Varint(2), .. templates[1..]], fieldLengths: [1, 1], fieldValues: [7, 7])).Reason);

        using var decoder = new FrameDecoder(Uncompressed);
        var decoded = FrameTestData.DecodeOne(decoder, ForgeTemplated(2, templates, fieldLengths: [1, 2], fieldValues: [(byte)'7', (byte)'8', (byte)'9']));
        Assert.Equal("[7]", Encoding.UTF8.GetString(KafkaRecordSerializer.Deserialize(decoded.Records[0].Payload.Span).Value!));
        Assert.Equal("[89]", Encoding.UTF8.GetString(KafkaRecordSerializer.Deserialize(decoded.Records[1].Payload.Span).Value!));
    }

    private static QueueRecord Record(int i, byte[] value) =>
        new(i + 1, KafkaRecordSerializer.Serialize(new KafkaRecord { Topic = "t", Partition = 0, Offset = i, Timestamp = i, Value = value }));

    private static byte[] EncodeUncompressed(IReadOnlyList<QueueRecord> records, bool fieldColumns)
    {
        using var encoder = new FrameEncoder(Uncompressed with { FieldColumns = fieldColumns });
        return FrameTestData.Encode(encoder, records);
    }

    private static int Occurrences(byte[] haystack, string needle)
    {
        var bytes = Encoding.UTF8.GetBytes(needle);
        var count = 0;
        for (var at = haystack.AsSpan().IndexOf(bytes); at >= 0; at = Next(haystack, bytes, at))
        {
            count++;
        }

        return count;

        static int Next(byte[] haystack, byte[] bytes, int at)
        {
            var next = haystack.AsSpan(at + 1).IndexOf(bytes);
            return next < 0 ? -1 : at + 1 + next;
        }
    }

    /// <summary>An uncompressed frame of <paramref name="count"/> records in one group, each value from template 0.</summary>
    private static byte[] ForgeTemplated(int count, byte[] templates, byte[] fieldLengths, byte[] fieldValues)
    {
        byte[] tables = [.. Varint(1), .. Varint(1), (byte)'t', .. Varint(0), .. Varint(1), .. Varint(0), .. Varint(0)];
        byte[][] columns =
        [
            tables,
            Enumerable.Repeat((byte)1, count).ToArray(), // every record in group 1
            new byte[count], new byte[count], new byte[count], // offset, timestamp, timestamp type
            new byte[count], [], new byte[count], // key length (null), no value lengths (templated), header count
            [], [], [], [], [], [], // header keys and value lengths, keys, values, header values, opaque
            Enumerable.Repeat((byte)1, count).ToArray(), // every value from template 0
            templates, fieldLengths, fieldValues,
        ];
        var layout = new List<byte>();
        foreach (var column in columns)
        {
            layout.AddRange(Varint((ulong)column.Length));
        }

        foreach (var column in columns)
        {
            layout.AddRange(column);
        }

        return FrameForge.Seal(FrameCodec.None, 1 | 4, 0, 1, count, layout.Count, layout.ToArray());
    }

    private static FrameException Reject(byte[] bytes)
    {
        using var decoder = new FrameDecoder(Uncompressed);
        var input = new ReadOnlySequence<byte>(bytes);
        return Assert.Throws<FrameException>(() => decoder.TryDecode(ref input, out _));
    }

    private static byte[] Varint(ulong value)
    {
        var buffer = new byte[10];
        return buffer[..VarInt.WriteUnsigned(buffer, value)];
    }
}
