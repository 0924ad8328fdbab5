using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Link.Messages;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Link;

/// <content>
/// The data path of one connection, in two stages so compressing the next frame overlaps sending
/// the current one: the encoder reads the queue and cuts frames; the sender waits for window room
/// (and the bandwidth cap) and writes them. Which stage waits on the other tells the adaptive level
/// where the bottleneck is.
/// </content>
public sealed partial class LinkSender
{
    /// <summary>Frames encoded ahead of the socket, at most: enough to keep the link busy, little enough to react fast.</summary>
    private const int FramesAhead = 2;

    private async Task PumpAsync(LinkConnection connection, SendWindow window, long resumeAt, FrameOptions frames, CancellationToken ct)
    {
        var encoded = Channel.CreateBounded<EncodedFrame>(new BoundedChannelOptions(FramesAhead) { SingleReader = true, SingleWriter = true });
        var spare = Channel.CreateUnbounded<ArrayBufferWriter<byte>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        for (var i = 0; i < FramesAhead + 2; i++)
        {
            spare.Writer.TryWrite(new ArrayBufferWriter<byte>(64 << 10));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var encoding = EncodeAsync(encoded.Writer, spare.Reader, resumeAt, frames, stop.Token);
        var sending = SendAsync(connection, window, encoded.Reader, spare.Writer, stop.Token);
        var first = await Task.WhenAny(encoding, sending);
        if (first == sending || first.IsFaulted || first.IsCanceled)
        {
            await stop.CancelAsync();
        }

        try
        {
            await first;
        }
        finally
        {
            await Task.WhenAll(Quietly(encoding), Quietly(sending));
        }

        await sending;
    }

    /// <summary>Reads the queue from <paramref name="resumeAt"/>, cuts frames by size or age, and hands them to the sending stage.</summary>
    private async Task EncodeAsync(ChannelWriter<EncodedFrame> encoded, ChannelReader<ArrayBufferWriter<byte>> spare, long resumeAt, FrameOptions frames, CancellationToken ct)
    {
        // The target may need a seq the source lost to a repair: start at the first record held and
        // declare the rest lost, as for any other gap.
        using var reader = _source.OpenReader(Math.Max(resumeAt, _source.FirstSeq));
        using var encoder = new FrameEncoder(frames);
        var expected = resumeAt;
        var batch = new List<QueueRecord>();
        var copies = new PayloadArena();
        var pendingBytes = 0;
        var oldest = 0L;
        try
        {
            while (true)
            {
                // Borrowed: valid until the next read, so it is copied once it joins the batch.
                while (reader.TryReadBorrowed(out var record))
                {
                    if (record.Seq != expected)
                    {
                        await DeclareGapAsync(record.Seq - 1);
                    }

                    expected = record.Seq + 1;
                    if (batch.Count > 0 && !frames.Fits(pendingBytes, batch.Count, record.Payload.Length))
                    {
                        await CutAsync();
                    }

                    if (batch.Count == 0)
                    {
                        oldest = Stopwatch.GetTimestamp();
                    }

                    batch.Add(record with { Payload = copies.Copy(record.Payload.Span) });
                    pendingBytes += record.Payload.Length;
                    if (pendingBytes >= _level.FrameBytes || batch.Count >= frames.MaxRecordsPerFrame)
                    {
                        await CutAsync();
                    }
                }

                if (reader.NextSeq > expected)
                {
                    // The reader passed over lost seqs at the end of what is durable.
                    await DeclareGapAsync(reader.NextSeq - 1);
                }

                if (batch.Count == 0)
                {
                    if (!await reader.WaitToReadAsync(ct))
                    {
                        return;
                    }

                    continue;
                }

                var left = frames.MaxFrameDelay - Stopwatch.GetElapsedTime(oldest);
                if (left <= TimeSpan.Zero || !await WaitWithTimeoutAsync(reader, left, ct))
                {
                    await CutAsync();
                }
            }
        }
        finally
        {
            encoded.TryComplete();
        }

        // Frames never span lost seqs: the batch so far goes first, then the gap, in stream order.
        async Task DeclareGapAsync(long last)
        {
            if (batch.Count > 0)
            {
                await CutAsync();
            }

            await encoded.WriteAsync(new EncodedFrame(null, last, 0, 0, expected), ct);
            expected = last + 1;
        }

        async Task CutAsync()
        {
            var output = await spare.ReadAsync(ct);
            var encodeStart = Stopwatch.GetTimestamp();
            encoder.Level = _level.Level;
            output.ResetWrittenCount();
            encoder.Encode(batch, output);
            var encoding = Stopwatch.GetElapsedTime(encodeStart);

            var handOver = Stopwatch.GetTimestamp();
            await encoded.WriteAsync(new EncodedFrame(output, batch[^1].Seq, batch.Count, pendingBytes, 0), ct);
            _level.Observe(encoding, Stopwatch.GetElapsedTime(handOver), pendingBytes, output.WrittenCount);
            batch.Clear();
            copies.Reset();
            pendingBytes = 0;
        }
    }

    /// <summary>Writes encoded frames as the window and the bandwidth cap allow, returning each buffer for reuse.</summary>
    private async Task SendAsync(LinkConnection connection, SendWindow window, ChannelReader<EncodedFrame> encoded, ChannelWriter<ArrayBufferWriter<byte>> spare, CancellationToken ct)
    {
        await foreach (var frame in encoded.ReadAllAsync(ct))
        {
            if (frame.Buffer is null)
            {
                await connection.SendAsync(LinkMessageType.Gap, new Gap(frame.GapFirst, frame.LastSeq).Encode(), ct);
                LogGapSent(_logger, new QueueSeqRange(frame.GapFirst, frame.LastSeq).ToString(), null);
                Update(s => s with { LostSeqCount = s.LostSeqCount + (frame.LastSeq - frame.GapFirst + 1) });
                continue;
            }

            var bytes = frame.Buffer.WrittenCount;
            await window.WaitForRoomAsync(bytes, ct);
            await connection.SendAsync(LinkMessageType.Frame, frame.Buffer.WrittenMemory, ct);
            window.Add(frame.LastSeq, bytes);
            spare.TryWrite(frame.Buffer);
            Update(s => s with { Records = s.Records + frame.Records, RawBytes = s.RawBytes + frame.RawBytes, Frames = s.Frames + 1, Level = _level.Level });
        }
    }

    /// <summary>One encoded frame on its way from the encoding stage to the socket; or, with no buffer, a gap from <see cref="GapFirst"/> to <see cref="LastSeq"/>.</summary>
    private readonly record struct EncodedFrame(ArrayBufferWriter<byte>? Buffer, long LastSeq, int Records, int RawBytes, long GapFirst);
}
