using System.Buffers;
using System.Net;
using System.Net.Sockets;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Link.Messages;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Link;

/// <summary>Protocol 2 added field columns to frames; ends of protocol 1 still meet this release.</summary>
public sealed class LinkProtocolVersionTests
{
    [Fact]
    public async Task A_source_of_protocol_1_is_served_and_its_frames_land()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        fx.StartReceiver();

        await using var client = await RawLinkClient.ConnectAsync(fx.ReceiverEndpoint, timeout.Token);
        var (next, version) = await LinkHandshake.RunClientAsync(client.Connection, LinkFixture.Key, RawLinkClient.NewHello(version: 1), 0, timeout.Token);
        Assert.Equal((1L, (ushort)1), (next, version));

        var records = Enumerable.Range(1, 50).Select(i => new QueueRecord(i, LinkFixture.Payload(i))).ToList();
        await LinkBadInputTests.SendFrameAsync(client, LinkBadInputTests.EncodeFrame(records, new FrameOptions { FieldColumns = false }), timeout.Token);
        await fx.WaitForTargetAsync(50, timeout.Token);
        fx.AssertSameRecords(50);
    }

    [Fact]
    public async Task A_target_of_protocol_1_gets_frames_without_field_columns()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        await fx.FillSourceAsync(1, 100, timeout.Token);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var oldTarget = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(timeout.Token);
            await using var connection = new LinkConnection(socket, new NetworkStream(socket), "source");
            var (_, proof) = await LinkHandshake.RunServerAsync(connection, LinkFixture.Key, timeout.Token, version: 1);
            await connection.SendAsync(LinkMessageType.Welcome, new Welcome(proof, 1).Encode(), timeout.Token);
            var frames = new List<byte[]>();
            var records = 0;
            while (records < 100)
            {
                var (type, body) = await connection.ReceiveAsync(64 << 20, timeout.Token);
                if (type == LinkMessageType.Frame)
                {
                    frames.Add(body.ToArray());
                    records += FrameHeader.Read(body.Span, int.MaxValue, int.MaxValue).Count;
                }
            }

            return frames;
        });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var sender = new LinkSender(fx.Source, fx.SenderOptions($"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"), LinkFixture.Key);
        var run = sender.RunAsync(stop.Token);
        var frames = await oldTarget;
        await stop.CancelAsync();
        await run;

        Assert.All(frames, f => Assert.Equal(0, f[6] & 4));
        using var decoder = new FrameDecoder(new FrameOptions());
        var decoded = new List<QueueRecord>();
        foreach (var frame in frames)
        {
            var input = new ReadOnlySequence<byte>(frame);
            Assert.True(decoder.TryDecode(ref input, out var batch));
            decoded.AddRange(batch.Records.Select(r => new QueueRecord(r.Seq, r.Payload.ToArray())));
        }

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), decoded.Select(r => r.Seq));
        Assert.All(decoded, r => Assert.Equal(LinkFixture.Payload((int)r.Seq), r.Payload.ToArray()));
    }

    [Fact]
    public async Task A_target_offering_a_newer_protocol_than_the_source_speaks_is_refused_naming_both()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var target = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(timeout.Token);
            await using var connection = new LinkConnection(socket, new NetworkStream(socket), "source");
            await connection.ReceiveAsync(0, timeout.Token);
            await connection.SendAsync(LinkMessageType.Challenge, new Challenge(LinkHandshake.Version + 1, new byte[Hello.NonceLength]).Encode(), timeout.Token);
        });

        var sender = new LinkSender(fx.Source, fx.SenderOptions($"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"), LinkFixture.Key);
        var ex = await Assert.ThrowsAsync<LinkException>(() => sender.RunAsync(timeout.Token));
        await target;

        Assert.Equal(LinkFailure.Version, ex.Failure);
        Assert.Contains($"version {LinkHandshake.Version + 1}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{LinkHandshake.MinVersion} to {LinkHandshake.Version}", ex.Message, StringComparison.Ordinal);
    }
}
