using KafkaSync.Engine.Framing;

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
}
