namespace KafkaSync.Engine.Link.Messages;

/// <summary>The first byte of every envelope on the link.</summary>
internal enum LinkMessageType : byte
{
    Hello = 1,
    Challenge = 2,
    Proof = 3,
    Welcome = 4,
    Frame = 5,
    Ack = 6,
    Heartbeat = 7,
    Goodbye = 8,
    Gap = 9,
}
