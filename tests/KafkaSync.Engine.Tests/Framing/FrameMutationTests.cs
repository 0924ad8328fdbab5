using System.Buffers;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Framing;

public sealed class FrameMutationTests
{
    [Theory]
    [InlineData(FrameCodec.Zstd, FrameLayout.Columnar)]
    [InlineData(FrameCodec.Zstd, FrameLayout.Row)]
    [InlineData(FrameCodec.None, FrameLayout.Columnar)]
    public void Mutated_streams_of_frames_never_crash_and_never_yield_a_wrong_record(FrameCodec codec, FrameLayout layout)
    {
        var options = new FrameOptions { Codec = codec, Layout = layout };
        var batches = new List<QueueRecord[]>();
        var stream = new ArrayBufferWriter<byte>();
        using (var encoder = new FrameEncoder(options))
        {
            var seq = 1L;
            for (var f = 0; f < 4; f++)
            {
                var batch = FrameTestData.Records(seq, 30 + (f * 11), seed: f);
                batches.Add(batch);
                encoder.Encode(batch, stream);
                seq += batch.Length;
            }
        }

        var original = stream.WrittenSpan.ToArray();
        var expected = batches.SelectMany(b => b).ToDictionary(r => r.Seq, r => r.Payload.ToArray());
        var random = new Random(20240601);
        var outcomes = new Dictionary<string, int>();
        for (var iteration = 0; iteration < 1500; iteration++)
        {
            var mutated = Mutate(original, random);
            var outcome = DecodeAll(options, mutated, expected);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // The run must have exercised both refusals and partial successes, not one path only.
        Assert.True(outcomes.Keys.Count(k => k.StartsWith("refused", StringComparison.Ordinal)) >= 2, string.Join(", ", outcomes));
    }

    [Fact]
    public void Mutations_behind_a_resealed_crc_are_refused_or_decoded_but_never_crash()
    {
        var options = new FrameOptions();
        using var encoder = new FrameEncoder(options);
        var frame = FrameTestData.Encode(encoder, FrameTestData.Records(1, 80));
        var random = new Random(99);
        var refused = 0;
        var decoded = 0;
        for (var iteration = 0; iteration < 1500; iteration++)
        {
            var mutated = (byte[])frame.Clone();
            var flips = random.Next(1, 4);
            for (var i = 0; i < flips; i++)
            {
                // Mostly in the payload, so zstd and the layout reader see the damage.
                var at = random.Next(8) == 0 ? random.Next(4, FrameHeader.CrcOffset) : random.Next(FrameHeader.Size, mutated.Length);
                mutated[at] ^= (byte)(1 << random.Next(8));
            }

            FrameForge.Reseal(mutated);
            using var decoder = new FrameDecoder(options);
            var input = new ReadOnlySequence<byte>(mutated);
            try
            {
                if (decoder.TryDecode(ref input, out _))
                {
                    // A flipped literal inside zstd data decodes to other bytes: that is what the CRC is for.
                    decoded++;
                }
            }
            catch (FrameException)
            {
                refused++;
            }
        }

        Assert.True(refused > 0 && decoded > 0, $"{refused} refused, {decoded} decoded: both paths must be exercised");
    }

    [Fact]
    public void Mutated_columnar_layouts_behind_a_resealed_crc_are_refused_or_decoded_but_never_crash()
    {
        // Uncompressed frames: every mutation lands in the layout itself, past the CRC.
        var options = new FrameOptions { Codec = FrameCodec.None };
        using var encoder = new FrameEncoder(options);
        var frame = FrameTestData.Encode(encoder, FrameTestData.Records(1, 40));
        var random = new Random(4242);
        var refused = 0;
        var decoded = 0;
        for (var iteration = 0; iteration < 5000; iteration++)
        {
            var mutated = (byte[])frame.Clone();
            var edits = random.Next(1, 4);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(FrameHeader.Size, mutated.Length);
                mutated[at] = random.Next(3) switch
                {
                    0 => (byte)(mutated[at] ^ (1 << random.Next(8))),
                    1 => 0xFF, // a varint that goes on
                    _ => (byte)random.Next(256),
                };
            }

            FrameForge.Reseal(mutated);
            using var decoder = new FrameDecoder(options);
            var input = new ReadOnlySequence<byte>(mutated);
            try
            {
                if (decoder.TryDecode(ref input, out _))
                {
                    decoded++;
                }
            }
            catch (FrameException)
            {
                refused++;
            }
        }

        Assert.True(refused > 0 && decoded > 0, $"{refused} refused, {decoded} decoded: both paths must be exercised");
    }

    private static string DecodeAll(FrameOptions options, byte[] bytes, Dictionary<long, byte[]> expected)
    {
        using var decoder = new FrameDecoder(options);
        var input = new ReadOnlySequence<byte>(bytes);
        try
        {
            while (decoder.TryDecode(ref input, out var frame))
            {
                foreach (var record in frame.Records)
                {
                    Assert.True(expected.TryGetValue(record.Seq, out var payload), $"seq {record.Seq} was never sent");
                    Assert.True(payload.AsSpan().SequenceEqual(record.Payload.Span), $"seq {record.Seq} came out different");
                }
            }

            return input.Length == 0 ? "decoded" : "needs more bytes";
        }
        catch (FrameException ex)
        {
            return "refused " + ex.Reason;
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40)));
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 40)).Select(_ => (byte)random.Next(256)));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }

            if (bytes.Count == 0)
            {
                bytes.Add(0);
            }
        }

        return bytes.ToArray();
    }
}
