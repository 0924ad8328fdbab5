using FsCheck;
using FsCheck.Fluent;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Tests.Records;

public sealed class KafkaRecordSerializerTests
{
    [Fact]
    public void Any_record_survives_a_round_trip_byte_for_byte()
    {
        var gen =
            from topic in Gen.Elements("orders", "payments.eu", "ünïcode-topic", "t")
            from partition in Gen.Choose(0, 63)
            from offset in ArbMap.Default.GeneratorFor<long>()
            from timestamp in ArbMap.Default.GeneratorFor<long>()
            from key in Gen.OneOf(Gen.Constant<byte[]?>(null), ArbMap.Default.GeneratorFor<byte[]>().Select(b => (byte[]?)b))
            from value in Gen.OneOf(Gen.Constant<byte[]?>(null), ArbMap.Default.GeneratorFor<byte[]>().Select(b => (byte[]?)b))
            from headerCount in Gen.Choose(0, 3)
            from headerValues in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte[]>(), headerCount)
            select new KafkaRecord
            {
                Topic = topic, Partition = partition, Offset = offset, Timestamp = timestamp,
                TimestampType = KafkaTimestampType.LogAppendTime, Key = key, Value = value,
                Headers = headerValues.Select((v, i) => new KafkaHeader("h" + i, i == 1 ? null : v)).ToArray(),
            };

        Prop.ForAll(gen.ToArbitrary(), record =>
            KafkaRecordSerializer.Deserialize(KafkaRecordSerializer.Serialize(record)).ContentEquals(record))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_truncation_of_a_record_is_rejected_as_invalid_data()
    {
        var bytes = KafkaRecordSerializer.Serialize(new KafkaRecord
        {
            Topic = "orders", Partition = 3, Offset = 42, Timestamp = 1_700_000_000_000,
            Key = [1, 2], Value = [3, 4, 5], Headers = [new KafkaHeader("trace", [9])],
        });

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => KafkaRecordSerializer.Deserialize(bytes.AsSpan(0, length)));
        }
    }
}
