using System.Buffers;
using KafkaSync.Engine.Framing;

namespace KafkaSync.Engine.Tests.Framing;

public sealed class FrameSegmentedInputTests
{
    [Fact]
    public void Frames_split_over_many_small_buffers_decode_one_after_another()
    {
        var options = new FrameOptions();
        using var encoder = new FrameEncoder(options);
        var first = FrameTestData.Records(1, 40);
        var second = FrameTestData.Records(41, 25, seed: 5);
        var bytes = FrameTestData.Encode(encoder, first).Concat(FrameTestData.Encode(encoder, second)).ToArray();

        // As a socket delivers them: 7-byte pieces, frame boundaries anywhere.
        var input = Segments(bytes, 7);
        using var decoder = new FrameDecoder(options);
        Assert.True(decoder.TryDecode(ref input, out var a));
        Assert.True(decoder.TryDecode(ref input, out var b));
        Assert.False(decoder.TryDecode(ref input, out _));
        Assert.Equal(0, input.Length);
        FrameTestData.AssertSame(first, a);
        FrameTestData.AssertSame(second, b);
    }

    private static ReadOnlySequence<byte> Segments(byte[] bytes, int size)
    {
        Segment? head = null;
        Segment? tail = null;
        for (var start = 0; start < bytes.Length; start += size)
        {
            var piece = bytes.AsMemory(start, Math.Min(size, bytes.Length - start));
            var segment = new Segment(piece, tail?.RunningIndex + tail?.Memory.Length ?? 0);
            if (tail is null)
            {
                head = segment;
            }
            else
            {
                tail.SetNext(segment);
            }

            tail = segment;
        }

        return new ReadOnlySequence<byte>(head!, 0, tail!, tail!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
