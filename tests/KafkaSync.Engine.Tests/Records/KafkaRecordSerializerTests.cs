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
    public void Topics_and_header_keys_decode_right_however_many_share_the_cache_of_repeated_names()
    {
        // More distinct names than the per-thread cache has slots, repeated and interleaved, some
        // longer than it keeps and some not valid alone as UTF-8 prefixes of others.
        var names = Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? "topic-" + i : i % 3 == 1 ? "ключ-" + i : new string('x', 60 + (i % 10)) + i).ToArray();
        for (var round = 0; round < 3; round++)
        {
            foreach (var (name, i) in names.Select((n, i) => (n, i)))
            {
                var record = new KafkaRecord
                {
                    Topic = name, Partition = i % 4, Offset = i,
                    Headers = [new KafkaHeader(names[(i * 7 + round) % names.Length], [1]), new KafkaHeader("", null)],
                };
                var decoded = KafkaRecordSerializer.Deserialize(KafkaRecordSerializer.Serialize(record));
                Assert.True(decoded.ContentEquals(record), $"round {round}: '{name}' came back as '{decoded.Topic}' / '{decoded.Headers[0].Key}'");
            }
        }
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
