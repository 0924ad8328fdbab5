namespace KafkaSync.Engine.Sync.Demo;

/// <summary>Where the demo stands, reported a few times a second.</summary>
/// <param name="Phase">What the demo is doing.</param>
/// <param name="Total">Records the demo copies.</param>
/// <param name="Consumed">Records the source agent has made durable in its queue.</param>
/// <param name="Acked">Highest seq the target acknowledged over the link.</param>
/// <param name="Produced">Records the target agent has produced.</param>
/// <param name="WireBytes">Bytes sent over the link so far.</param>
/// <param name="LinkState">The source's link state.</param>
public sealed record DemoProgress(string Phase, long Total, long Consumed, long Acked, long Produced, long WireBytes, string LinkState);
