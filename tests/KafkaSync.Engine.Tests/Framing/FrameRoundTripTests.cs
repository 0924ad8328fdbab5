using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Tests.Framing;

public sealed class FrameRoundTripTests
{
    public static TheoryData<FrameCodec, FrameLayout, bool> Modes() => new()
    {
        { FrameCodec.None, FrameLayout.Row, false },
        { FrameCodec.None, FrameLayout.Columnar, false },
        { FrameCodec.Zstd, FrameLayout.Row, false },
        { FrameCodec.Zstd, FrameLayout.Columnar, false },
        { FrameCodec.Zstd, FrameLayout.Row, true },
        { FrameCodec.Zstd, FrameLayout.Columnar, true },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Consecutive_frames_decode_to_the_same_payloads_in_every_mode(FrameCodec codec, FrameLayout layout, bool streaming)
    {
        var options = new FrameOptions { Codec = codec, Layout = layout, Streaming = streaming };
        using var encoder = new FrameEncoder(options);
        using var decoder = new FrameDecoder(options);
        var seq = 1L;
        for (var frame = 0; frame < 20; frame++)
        {
            var records = FrameTestData.Records(seq, 1 + (frame * 13 % 200), seed: frame);
            var decoded = FrameTestData.DecodeOne(decoder, FrameTestData.Encode(encoder, records));
            FrameTestData.AssertSame(records, decoded);
            Assert.Equal(records.Sum(r => r.Payload.Length), decoded.RawBytes);
            seq += records.Length;
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_decoder_that_reuses_its_buffers_gives_each_frame_right_until_the_next_and_a_copying_one_keeps_them(FrameCodec codec, FrameLayout layout, bool streaming)
    {
        var options = new FrameOptions { Codec = codec, Layout = layout, Streaming = streaming };
        using var encoder = new FrameEncoder(options);
        using var reusing = new FrameDecoder(options) { ReuseBuffers = true };
        using var copying = new FrameDecoder(options);
        var kept = new List<(QueueRecord[] Sent, DecodedFrame Decoded)>();
        var seq = 1L;
        for (var frame = 0; frame < 12; frame++)
        {
            // Sizes go up and down, so the reused buffers both grow and hold less than before.
            var records = FrameTestData.Records(seq, 1 + (frame * 37 % 400), seed: frame);
            var bytes = FrameTestData.Encode(encoder, records);
            FrameTestData.AssertSame(records, FrameTestData.DecodeOne(reusing, bytes));
            kept.Add((records, FrameTestData.DecodeOne(copying, bytes)));
            seq += records.Length;
        }

        foreach (var (sent, decoded) in kept)
        {
            FrameTestData.AssertSame(sent, decoded);
        }
    }

    [Fact]
    public void A_frame_with_hundreds_of_topics_and_header_keys_round_trips()
    {
        var records = Enumerable.Range(0, 2000).Select(i => new QueueRecord(i + 1, KafkaRecordSerializer.Serialize(new KafkaRecord
        {
            Topic = "topic-" + (i * 7 % 300),
            Partition = i % 5,
            Offset = i / 3,
            Key = [(byte)i],
            Value = [1, 2, 3],
            Headers = [new KafkaHeader("k" + (i % 150), null), new KafkaHeader("k" + (i % 7), [9])],
        }))).ToArray();
        var options = new FrameOptions();
        using var encoder = new FrameEncoder(options);
        using var decoder = new FrameDecoder(options);
        FrameTestData.AssertSame(records, FrameTestData.DecodeOne(decoder, FrameTestData.Encode(encoder, records)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Level_changes_between_frames_need_nothing_from_the_receiver(bool withDictionary)
    {
        using var dictionary = withDictionary ? ZstdDictionary.Train(FrameTestData.Records(1, 3000, seed: 9).Select(r => r.Payload).ToArray(), 8192) : null;
        var options = new FrameOptions();
        using var encoder = new FrameEncoder(options, dictionary);
        using var decoder = new FrameDecoder(options, dictionary is null ? null : [dictionary]);
        var seq = 1L;
        foreach (var level in new[] { 1, 1, 5, 5, -2, 3, 1, 19, 1 })
        {
            encoder.Level = level;
            var records = FrameTestData.Records(seq, 60, seed: level + 100);
            FrameTestData.AssertSame(records, FrameTestData.DecodeOne(decoder, FrameTestData.Encode(encoder, records)));
            seq += records.Length;
        }
    }
}
