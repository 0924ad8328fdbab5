using System.Buffers;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Framing;

namespace KafkaSync.Engine.Tests.Framing;

/// <summary>
/// Frames written by the earlier release, which compressed with the system libzstd, still decode:
/// a queue or a peer of that release can meet this one. The fixtures hold three consecutive
/// frames of <see cref="FrameTestData.Records"/> (seeds 1–3; 100, 150 and 200 records) per mode.
/// </summary>
public sealed class FrameFixtureCompatibilityTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Framing", "Fixtures");

    [Theory]
    [InlineData("zstd-columnar-stream", false)]
    [InlineData("zstd-row-independent", false)]
    [InlineData("zstd-columnar-dictionary", true)]
    [InlineData("none-row", false)]
    public void Frames_from_the_libzstd_release_decode_to_the_same_records(string fixture, bool withDictionary)
    {
        using var dictionary = withDictionary ? ZstdDictionary.Load(Path.Combine(Fixtures, "dictionary.zdict")) : null;
        using var decoder = new FrameDecoder(new FrameOptions(), dictionary is null ? null : [dictionary]);
        var input = new ReadOnlySequence<byte>(File.ReadAllBytes(Path.Combine(Fixtures, fixture + ".frames")));
        var seq = 1L;
        for (var frame = 0; frame < 3; frame++)
        {
            var expected = FrameTestData.Records(seq, 100 + (frame * 50), seed: frame + 1);
            Assert.True(decoder.TryDecode(ref input, out var decoded), $"frame {frame} of {fixture} did not decode");
            FrameTestData.AssertSame(expected, decoded);
            seq += expected.Length;
        }

        Assert.Equal(0, input.Length);
    }

    [Fact]
    public void The_port_writes_the_same_bytes_libzstd_wrote()
    {
        // Same records, same options: the managed port's output is byte-identical to the fixture
        // (written before field columns and the larger hash table, so those are as they were then).
        using var encoder = new FrameEncoder(new FrameOptions { FieldColumns = false, MinHashLog = 16 });
        var written = new ArrayBufferWriter<byte>();
        var seq = 1L;
        for (var frame = 0; frame < 3; frame++)
        {
            var records = FrameTestData.Records(seq, 100 + (frame * 50), seed: frame + 1);
            encoder.Encode(records, written);
            seq += records.Length;
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixtures, "zstd-columnar-stream.frames")), written.WrittenSpan.ToArray());
    }
}
