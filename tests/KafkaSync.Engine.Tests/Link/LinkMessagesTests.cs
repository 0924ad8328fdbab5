using System.Security.Cryptography;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Link.Messages;

namespace KafkaSync.Engine.Tests.Link;

public sealed class LinkMessagesTests
{
    [Fact]
    public void Every_control_message_survives_a_round_trip()
    {
        var hello = new Hello(1, RandomNumberGenerator.GetBytes(32), "site-a:/var/lib/kafkasync/q", 638_000_000_000_000_000, 17, 4_000);
        var back = Hello.Decode(hello.Encode());
        Assert.Equal(hello with { Nonce = back.Nonce }, back);
        Assert.Equal(hello.Nonce, back.Nonce);

        var welcome = new Welcome(RandomNumberGenerator.GetBytes(32), 1234);
        Assert.Equal(welcome.NextSeq, Welcome.Decode(welcome.Encode()).NextSeq);
        Assert.Equal(welcome.Mac, Welcome.Decode(welcome.Encode()).Mac);
        Assert.Equal(99, Ack.Decode(new Ack(99).Encode()).DurableSeq);
        Assert.Equal(new Goodbye(LinkFailure.Busy, "in use by 'x'"), Goodbye.Decode(new Goodbye(LinkFailure.Busy, "in use by 'x'").Encode()));
    }

    [Fact]
    public void Every_truncation_of_a_control_message_is_a_protocol_error()
    {
        var body = new Hello(1, new byte[32], "source", 5, 1, 1).Encode();
        for (var length = 0; length < body.Length; length++)
        {
            var ex = Assert.Throws<LinkException>(() => Hello.Decode(body.AsSpan(0, length)));
            Assert.Equal(LinkFailure.Protocol, ex.Failure);
        }

        Assert.Throws<LinkException>(() => Ack.Decode(new byte[9]));
    }

    [Fact]
    public void An_envelope_over_its_limit_or_of_an_unknown_type_is_refused_from_the_header_alone()
    {
        var header = new byte[LinkEnvelope.HeaderLength];
        LinkEnvelope.WriteHeader(header, LinkMessageType.Ack, LinkEnvelope.MaxControlBody + 1);
        Assert.Contains("over the limit", Assert.Throws<LinkException>(() => LinkEnvelope.ReadHeader(header, 1 << 20)).Message, StringComparison.Ordinal);

        LinkEnvelope.WriteHeader(header, LinkMessageType.Frame, (1 << 20) + 1);
        Assert.Throws<LinkException>(() => LinkEnvelope.ReadHeader(header, 1 << 20));

        header[0] = 200;
        Assert.Contains("unknown message type", Assert.Throws<LinkException>(() => LinkEnvelope.ReadHeader(header, 1 << 20)).Message, StringComparison.Ordinal);
    }
}
