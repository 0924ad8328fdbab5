using KafkaSync.Engine.Link;
using KafkaSync.Engine.Link.Messages;

namespace KafkaSync.Engine.Tests.Link;

public sealed class LinkAuthenticationTests
{
    [Fact]
    public async Task A_sender_with_the_wrong_key_is_refused_logged_and_writes_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        fx.StartReceiver();
        await fx.FillSourceAsync(1, 100, timeout.Token);

        var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkKey.FromText("not the key, but long enough to be accepted"));
        var ex = await Assert.ThrowsAsync<LinkException>(() => sender.RunAsync(timeout.Token));

        Assert.Equal(LinkFailure.Authentication, ex.Failure);
        await fx.ReceiverLog.WaitForAsync(timeout.Token, "Authentication", "failed to prove it holds the pre-shared key");
        Assert.Equal(1, fx.Target.NextSeq);
        Assert.Equal(0, fx.Source.GetCursor("link"));
    }

    [Fact]
    public async Task A_fake_target_without_the_key_gets_no_records()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        await fx.FillSourceAsync(1, 100, timeout.Token);

        // An impostor target: it plays the handshake but cannot compute the proof of the key.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var impostor = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(timeout.Token);
            await using var connection = new LinkConnection(socket, new System.Net.Sockets.NetworkStream(socket), "source");
            await connection.ReceiveAsync(0, timeout.Token);
            await connection.SendAsync(LinkMessageType.Challenge, new Challenge(LinkHandshake.Version, new byte[Hello.NonceLength]).Encode(), timeout.Token);
            await connection.ReceiveAsync(0, timeout.Token);
            await connection.SendAsync(LinkMessageType.Welcome, new Welcome(new byte[Proof.MacLength], 1).Encode(), timeout.Token);
            var frames = 0;
            try
            {
                while (true)
                {
                    var (type, _) = await connection.ReceiveAsync(64 << 20, timeout.Token);
                    frames += type == LinkMessageType.Frame ? 1 : 0;
                }
            }
            catch (LinkException)
            {
                return frames;
            }
        });

        var sender = new LinkSender(fx.Source, fx.SenderOptions($"127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}"), LinkFixture.Key);
        var ex = await Assert.ThrowsAsync<LinkException>(() => sender.RunAsync(timeout.Token));

        Assert.Equal(LinkFailure.Authentication, ex.Failure);
        Assert.Contains("failed to prove it holds the pre-shared key", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await impostor);
        Assert.Equal(0, fx.Source.GetCursor("link"));
    }

    [Fact]
    public async Task A_client_without_the_key_sending_frames_at_once_is_refused()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        fx.StartReceiver();

        await using var client = await RawLinkClient.ConnectAsync(fx.ReceiverEndpoint, timeout.Token);
        await client.SendRawAsync(RawLinkClient.Envelope(LinkMessageType.Frame, new byte[100]), timeout.Token);
        await client.ReadUntilClosedAsync(timeout.Token);

        await fx.ReceiverLog.WaitForAsync(timeout.Token, "Frame message declares 100 bytes");
        Assert.Equal(1, fx.Target.NextSeq);
    }

    [Fact]
    public async Task A_client_that_stops_after_hello_is_dropped_at_the_handshake_timeout()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        fx.StartReceiver();

        await using var client = await RawLinkClient.ConnectAsync(fx.ReceiverEndpoint, timeout.Token);
        await client.SendRawAsync(RawLinkClient.Envelope(LinkMessageType.Hello, RawLinkClient.NewHello().Encode()), timeout.Token);
        await client.ReadUntilClosedAsync(timeout.Token);

        await fx.ReceiverLog.WaitForAsync(timeout.Token, "Timeout", "handshake did not finish");
    }

    [Fact]
    public async Task A_replayed_handshake_is_refused()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        fx.StartReceiver();

        // Record a genuine handshake's client messages…
        var hello = RawLinkClient.NewHello("replay-victim");
        byte[] proof;
        await using (var genuine = await RawLinkClient.ConnectAsync(fx.ReceiverEndpoint, timeout.Token))
        {
            await genuine.Connection.SendAsync(LinkMessageType.Hello, hello.Encode(), timeout.Token);
            var (_, challengeBody) = await genuine.Connection.ReceiveAsync(0, timeout.Token);
            proof = RecordedProof(hello, challengeBody.ToArray());
            await genuine.Connection.SendAsync(LinkMessageType.Proof, new Proof(proof).Encode(), timeout.Token);
            var (type, _) = await genuine.Connection.ReceiveAsync(0, timeout.Token);
            Assert.Equal(LinkMessageType.Welcome, type);
        }

        // …and replay them byte for byte without the key.
        await using var attacker = await RawLinkClient.ConnectAsync(fx.ReceiverEndpoint, timeout.Token);
        await attacker.SendRawAsync(RawLinkClient.Envelope(LinkMessageType.Hello, hello.Encode()), timeout.Token);
        await attacker.SendRawAsync(RawLinkClient.Envelope(LinkMessageType.Proof, new Proof(proof).Encode()), timeout.Token);
        var reason = await attacker.ReadUntilClosedAsync(timeout.Token);

        Assert.Contains("failed to prove", reason, StringComparison.Ordinal);
        await fx.ReceiverLog.WaitForAsync(timeout.Token, "Authentication", "replay-victim");
        Assert.Equal(1, fx.Target.NextSeq);
    }

    [Fact]
    public async Task A_second_source_is_refused_while_the_first_keeps_sending()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture();
        fx.StartReceiver();
        await fx.FillSourceAsync(1, 2_000, timeout.Token);

        var first = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key);
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var firstRun = first.RunAsync(stopFirst.Token);
        await first.WaitForAckedAsync(2_000, timeout.Token);

        var intruder = await RawLinkClient.ConnectAsync(fx.ReceiverEndpoint, timeout.Token);
        await using (intruder)
        {
            var ex = await Assert.ThrowsAsync<LinkException>(() => intruder.AuthenticateAsync(LinkFixture.Key, timeout.Token, "another-source"));
            Assert.Equal(LinkFailure.Busy, ex.Failure);
            Assert.Contains("already fed by source 'test-source'", ex.Message, StringComparison.Ordinal);
        }

        await fx.FillSourceAsync(2_001, 2_000, timeout.Token);
        await first.WaitForAckedAsync(4_000, timeout.Token);
        Assert.Equal(1, first.Status.Connections);
        await stopFirst.CancelAsync();
        await firstRun;
        fx.AssertSameRecords(4_000);
        await fx.ReceiverLog.WaitForAsync(timeout.Token, "Busy", "another-source");
    }

    private static byte[] RecordedProof(Hello hello, byte[] challengeBody)
    {
        // The genuine client's side of the handshake, computed the way LinkHandshake does it.
        var label = "kafkasync-link client proof"u8;
        var helloBody = hello.Encode();
        var transcript = new byte[label.Length + 8 + helloBody.Length + challengeBody.Length];
        label.CopyTo(transcript);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(transcript.AsSpan(label.Length), helloBody.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(transcript.AsSpan(label.Length + 4), challengeBody.Length);
        helloBody.CopyTo(transcript.AsSpan(label.Length + 8));
        challengeBody.CopyTo(transcript.AsSpan(label.Length + 8 + helloBody.Length));
        return LinkFixture.Key.Mac(transcript);
    }
}
