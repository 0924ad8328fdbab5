using KafkaSync.Engine.Link;
using KafkaSync.Engine.Link.Messages;

namespace KafkaSync.Engine.Tests.Link;

public sealed class LinkFuzzTests
{
    [Fact]
    public async Task Randomly_mutated_frames_never_crash_the_receiver_nor_write_a_bad_record()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var fx = new LinkFixture();
        fx.StartReceiver();
        var random = new Random(20240611);
        var valid = LinkBadInputTests.EncodeFrame(1, 40);
        const int Iterations = 300;

        for (var i = 0; i < Iterations; i++)
        {
            var mutated = Mutate(valid, random);
            await using var client = await RawLinkClient.ConnectAsync(fx.ReceiverEndpoint, ct);
            var next = await client.AuthenticateAsync(LinkFixture.Key, ct, "fuzzer");

            // Frames must continue the target; a mutant that slipped through would have moved it.
            Assert.Equal(1, next);
            await client.SendRawAsync(RawLinkClient.Envelope(LinkMessageType.Frame, mutated), ct);
            await client.SendRawAsync(RawLinkClient.Envelope(LinkMessageType.Goodbye, new Goodbye(LinkFailure.None, "done").Encode()), ct);
            await client.ReadUntilClosedAsync(ct);
            await WaitUntilIdleAsync(fx, ct);
        }

        Assert.Equal(1, fx.Target.NextSeq);
        Assert.Equal(Iterations, fx.Receiver!.FailedConnections);

        // Still serving, and what it holds is exactly what a genuine source sent.
        await fx.FillSourceAsync(1, 300, ct);
        var sender = new LinkSender(fx.Source, fx.SenderOptions(fx.ReceiverAddress), LinkFixture.Key);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = sender.RunAsync(stop.Token);
        await sender.WaitForAckedAsync(300, ct);
        await stop.CancelAsync();
        await run;
        fx.AssertSameRecords(300);
    }

    /// <summary>One to four byte changes, sometimes a truncation: the kinds of damage a bad network or a hostile peer does.</summary>
    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = valid.ToArray();
        var changes = random.Next(1, 5);
        for (var c = 0; c < changes; c++)
        {
            var at = random.Next(bytes.Length);
            var value = (byte)random.Next(256);
            bytes[at] = value == bytes[at] ? (byte)~value : value;
        }

        return random.Next(4) == 0 ? bytes[..random.Next(1, bytes.Length)] : bytes;
    }

    private static async Task WaitUntilIdleAsync(LinkFixture fx, CancellationToken ct)
    {
        // The next fuzz connection must not race this one's cleanup into a "busy" refusal.
        while (fx.Receiver!.Status.State == LinkState.Connected)
        {
            await Task.Delay(1, ct);
        }
    }
}
