using FsCheck;
using FsCheck.Fluent;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Tests.Framing;

public sealed class FrameRoundTripPropertyTests
{
    // Values that look like JSON, or nearly: the field columns take them apart (see FieldColumnWriter).
    private static readonly Gen<byte[]> JsonLike =
        from start in Gen.Elements("{", "[")
        from parts in Gen.ListOf(Gen.Elements(
            "\"id\":", "\"name\" : ", "\"v\"", "\"\"", "\"a\\\"b\"", "\\", "\"", "12", "-3.5e+7", "-", "true", "null",
            ",", ":", "[", "]", "{", "}", " ", "\n", "\0", "ü", "x"))
        select System.Text.Encoding.UTF8.GetBytes(start + string.Concat(parts));

    private static readonly Gen<byte[]> Record =
        from topic in Gen.Elements("orders", "payments.eu", "ünïcode-topic", "t", "")
        from partition in Gen.Choose(0, 63)
        from offset in ArbMap.Default.GeneratorFor<long>()
        from timestamp in ArbMap.Default.GeneratorFor<long>()
        from type in Gen.Elements(KafkaTimestampType.NotAvailable, KafkaTimestampType.CreateTime, KafkaTimestampType.LogAppendTime)
        from key in Gen.OneOf(Gen.Constant<byte[]?>(null), ArbMap.Default.GeneratorFor<byte[]>().Select(b => (byte[]?)b))
        from value in Gen.OneOf(Gen.Constant<byte[]?>(null), ArbMap.Default.GeneratorFor<byte[]>().Select(b => (byte[]?)b), JsonLike.Select(b => (byte[]?)b))
        from headerCount in Gen.Choose(0, 4)
        from headerValues in Gen.ArrayOf(Gen.OneOf(Gen.Constant<byte[]?>(null), ArbMap.Default.GeneratorFor<byte[]>().Select(b => (byte[]?)b)), headerCount)
        select KafkaRecordSerializer.Serialize(new KafkaRecord
        {
            Topic = topic, Partition = partition, Offset = offset, Timestamp = timestamp, TimestampType = type,
            Key = key, Value = value,
            Headers = headerValues.Select((v, i) => new KafkaHeader(i % 2 == 0 ? "trace" : "h" + i, v)).ToArray(),
        });

    // Payloads the columnar layout cannot split (other formats, padded varints, trailing bytes) travel whole.
    private static readonly Gen<byte[]> Opaque = Gen.OneOf(
        ArbMap.Default.GeneratorFor<byte[]>(),
        Record.Select(r => r.Append((byte)0).ToArray()),
        Gen.Constant(new byte[] { 1, 0x80, 0x00 }));

    [Theory]
    [InlineData(FrameLayout.Columnar, true, true)]
    [InlineData(FrameLayout.Columnar, false, true)]
    [InlineData(FrameLayout.Columnar, true, false)]
    [InlineData(FrameLayout.Row, true, false)]
    public void Any_batch_of_payloads_comes_back_byte_for_byte(FrameLayout layout, bool streaming, bool fieldColumns)
    {
        var options = new FrameOptions { Layout = layout, Streaming = streaming, FieldColumns = fieldColumns };
        using var encoder = new FrameEncoder(options);
        using var decoder = new FrameDecoder(options);
        var nextSeq = 1L;
        var batch = Gen.NonEmptyListOf(Gen.Frequency((5, Record), (1, Opaque)));
        Prop.ForAll(batch.ToArbitrary(), payloads =>
        {
            var records = payloads.Select((p, i) => new QueueRecord(nextSeq + i, p)).ToArray();
            nextSeq += records.Length;
            var decoded = FrameTestData.DecodeOne(decoder, FrameTestData.Encode(encoder, records));
            return decoded.Records.Count == records.Length
                && records.Zip(decoded.Records).All(p => p.First.Seq == p.Second.Seq && p.First.Payload.Span.SequenceEqual(p.Second.Payload.Span));
        }).QuickCheckThrowOnFailure();
    }
}
