using System.Buffers;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Tests.Framing;

/// <summary>Records and helpers shared by the framing tests.</summary>
internal static class FrameTestData
{
    public static QueueRecord[] Records(long firstSeq, int count, int seed = 1)
    {
        var random = new Random(seed);
        var records = new QueueRecord[count];
        for (var i = 0; i < count; i++)
        {
            var record = new KafkaRecord
            {
                Topic = "orders-" + (i % 3),
                Partition = i % 4,
                Offset = 1000 + i,
                Timestamp = 1_700_000_000_000 + (i * 7),
                Key = random.Next(5) == 0 ? null : System.Text.Encoding.UTF8.GetBytes("customer-" + random.Next(100)),
                Value = System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"status\":\"{(i % 2 == 0 ? "paid" : "open")}\",\"amount\":{random.Next(10_000)}}}"),
                Headers = i % 5 == 0 ? [] : [new KafkaHeader("trace", BitConverter.GetBytes(random.NextInt64())), new KafkaHeader("source", null)],
            };
            records[i] = new QueueRecord(firstSeq + i, KafkaRecordSerializer.Serialize(record));
        }

        return records;
    }

    public static byte[] Encode(FrameEncoder encoder, IReadOnlyList<QueueRecord> records)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.Encode(records, output);
        return output.WrittenSpan.ToArray();
    }

    public static DecodedFrame DecodeOne(FrameDecoder decoder, byte[] bytes)
    {
        var input = new ReadOnlySequence<byte>(bytes);
        Assert.True(decoder.TryDecode(ref input, out var frame));
        Assert.Equal(0, input.Length);
        return frame;
    }

    public static void AssertSame(IReadOnlyList<QueueRecord> expected, DecodedFrame actual)
    {
        Assert.Equal(expected.Count, actual.Records.Count);
        Assert.Equal(expected[0].Seq, actual.FirstSeq);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Seq, actual.Records[i].Seq);
            Assert.True(expected[i].Payload.Span.SequenceEqual(actual.Records[i].Payload.Span), $"payload of seq {expected[i].Seq} differs");
        }
    }
}
