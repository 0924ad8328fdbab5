using System.Buffers;
using System.Buffers.Binary;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Link.Messages;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Link;

/// <summary>
/// Each kind of bad input closes that connection with a logged reason, writes nothing to the
/// target queue, and leaves the target serving the next (genuine) source.
/// </summary>
public sealed class LinkBadInputTests
{
    [Fact]
    public Task Garbage_bytes_instead_of_a_handshake_are_refused() =>
        AssertRefusedAsync(authenticate: false, (c, ct) => c.SendRawAsync(Garbage(4096), ct), "Protocol");

    [Fact]
    public Task Garbage_bytes_after_the_handshake_are_refused() =>
        AssertRefusedAsync(authenticate: true, (c, ct) => c.SendRawAsync(Garbage(4096), ct), "Protocol");

    [Fact]
    public Task A_hello_with_the_wrong_magic_is_refused() =>
        AssertRefusedAsync(authenticate: false, (c, ct) =>
        {
            var hello = RawLinkClient.NewHello().Encode();
            "HTTP"u8.CopyTo(hello);
            return c.SendRawAsync(RawLinkClient.Envelope(LinkMessageType.Hello, hello), ct);
        }, "bad magic in Hello");

    [Fact]
    public Task A_hello_older_than_any_protocol_version_spoken_is_refused() =>
        AssertRefusedAsync(authenticate: false, (c, ct) =>
            c.SendRawAsync(RawLinkClient.Envelope(LinkMessageType.Hello, RawLinkClient.NewHello(version: 0).Encode()), ct),
            "Version", "version 0");

    [Fact]
    public Task A_frame_with_the_wrong_magic_is_refused() =>
        AssertRefusedAsync(authenticate: true, (c, ct) =>
        {
            var frame = EncodeFrame(1, 20);
            frame[0] ^= 0xFF;
            return SendFrameAsync(c, frame, ct);
        }, "BadMagic");

    [Fact]
    public Task A_frame_with_an_unknown_version_is_refused() =>
        AssertRefusedAsync(authenticate: true, (c, ct) =>
        {
            var frame = EncodeFrame(1, 20);
            frame[4] = 99;
            return SendFrameAsync(c, frame, ct);
        }, "BadVersion");

    [Fact]
    public Task A_frame_message_holding_half_a_frame_is_refused() =>
        AssertRefusedAsync(authenticate: true, (c, ct) =>
        {
            var frame = EncodeFrame(1, 20);
            return SendFrameAsync(c, frame[..(frame.Length / 2)], ct);
        }, "truncated frame");

    [Fact]
    public Task A_connection_cut_in_the_middle_of_a_frame_writes_nothing() =>
        AssertRefusedAsync(authenticate: true, async (c, ct) =>
        {
            var envelope = RawLinkClient.Envelope(LinkMessageType.Frame, EncodeFrame(1, 20));
            await c.SendRawAsync(envelope[..(envelope.Length / 2)], ct);
            c.Connection.Abort(new LinkException(LinkFailure.Network, "test cut"));
        }, "in the middle of a message");

    [Fact]
    public Task An_envelope_declaring_an_oversized_length_is_refused_before_reading_it() =>
        AssertRefusedAsync(authenticate: true, (c, ct) => c.SendRawAsync(RawLinkClient.OversizedFrameHeader(int.MaxValue), ct), "over the limit");

    [Fact]
    public Task A_frame_declaring_an_oversized_raw_size_is_refused() =>
        AssertRefusedAsync(authenticate: true, (c, ct) =>
        {
            var frame = EncodeFrame(1, 20);
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(24), int.MaxValue - 10);
            return SendFrameAsync(c, frame, ct);
        }, "SizeLimit");

    [Fact]
    public Task A_frame_with_a_crc_mismatch_is_refused() =>
        AssertRefusedAsync(authenticate: true, (c, ct) =>
        {
            var frame = EncodeFrame(1, 20);
            frame[^3] ^= 0x01;
            return SendFrameAsync(c, frame, ct);
        }, "Crc");

    [Fact]
    public Task A_frame_that_does_not_continue_the_target_queue_is_refused() =>
        AssertRefusedAsync(authenticate: true, (c, ct) => SendFrameAsync(c, EncodeFrame(50, 20), ct), "SeqGap");

    [Fact]
    public Task A_decompression_bomb_declaring_more_than_the_limit_is_refused()
    {
        // 4 MiB of zeros squeeze into a few hundred bytes; the receiver allows 1 MiB per frame.
        // Encoded before connecting: on a loaded machine the first encode can outlast the
        // receiver's heartbeat timeout, which would close the connection for another reason.
        var sender = new FrameOptions { MaxFrameRawBytes = 16 << 20 };
        var records = Enumerable.Range(0, 4).Select(i => new QueueRecord(1 + i, new byte[1 << 20])).ToList();
        var frame = EncodeFrame(records, sender);
        return AssertRefusedAsync(authenticate: true, (c, ct) => SendFrameAsync(c, frame, ct), "SizeLimit");
    }

    [Fact]
    public Task A_decompression_bomb_declaring_a_small_size_is_stopped_at_the_declared_size()
    {
        var bomb = Bomb(); // before connecting, as above
        return AssertRefusedAsync(authenticate: true, (c, ct) => SendFrameAsync(c, bomb, ct), "Decompress");
    }

    internal static async Task AssertRefusedAsync(bool authenticate, Func<RawLinkClient, CancellationToken, Task> misbehave, params string[] logged)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        await using var fx = new LinkFixture(new LinkReceiverOptions
        {
            Listen = "127.0.0.1:0",
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            HeartbeatTimeout = TimeSpan.FromSeconds(2),
            Frames = new FrameOptions { MaxFrameRawBytes = 1 << 20 },
        });
        fx.StartReceiver();

        await using (var client = await RawLinkClient.ConnectAsync(fx.ReceiverEndpoint, ct))
        {
            if (authenticate)
            {
                Assert.Equal(1, await client.AuthenticateAsync(LinkFixture.Key, ct));
            }

            await misbehave(client, ct);
            await client.ReadUntilClosedAsync(ct);
        }

        var line = await fx.ReceiverLog.WaitForAsync(ct, ["Closed connection", .. logged]);
        Assert.StartsWith("Warning", line, StringComparison.Ordinal);
        Assert.Equal(1, fx.Target.NextSeq);
        Assert.Equal(1, fx.Receiver!.FailedConnections);

        // The target keeps serving: a genuine source gets everything through afterwards.
        await fx.FillSourceAsync(1, 500, ct);
        var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = sender.RunAsync(stop.Token);
        await sender.WaitForAckedAsync(500, ct);
        await stop.CancelAsync();
        await run;
        fx.AssertSameRecords(500);
    }

    internal static byte[] EncodeFrame(long firstSeq, int count) =>
        EncodeFrame(Enumerable.Range(0, count).Select(i => new QueueRecord(firstSeq + i, LinkFixture.Payload((int)firstSeq + i))).ToList(), new FrameOptions());

    internal static byte[] EncodeFrame(IReadOnlyList<QueueRecord> records, FrameOptions options)
    {
        using var encoder = new FrameEncoder(options);
        var output = new ArrayBufferWriter<byte>();
        encoder.Encode(records, output);
        return output.WrittenSpan.ToArray();
    }

    internal static Task SendFrameAsync(RawLinkClient client, byte[] frame, CancellationToken ct) =>
        client.SendRawAsync(RawLinkClient.Envelope(LinkMessageType.Frame, frame), ct);

    private static byte[] Garbage(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0xEE; // not a message type
        return bytes;
    }

    /// <summary>A well-formed frame (valid CRC) whose header declares 1000 raw bytes but whose zstd payload inflates to 8 MiB.</summary>
    private static byte[] Bomb()
    {
        var zeros = new byte[8 << 20];
        using var zstd = new ZstdCompressor(3);
        var compressed = new byte[ZstdCompressor.CompressBound(zeros.Length)];
        var size = zstd.Compress(zeros, compressed);
        var frame = new byte[FrameHeader.Size + size];
        new FrameHeader(FrameCodec.Zstd, FrameFlags.Columnar, 0, 1, 1, 1000, size, 0).Write(frame);
        compressed.AsSpan(0, size).CopyTo(frame.AsSpan(FrameHeader.Size));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(FrameHeader.CrcOffset), Crc32C.Compute(frame.AsSpan(0, FrameHeader.CrcOffset), frame.AsSpan(FrameHeader.Size)));
        return frame;
    }
}
