namespace KafkaSync.Engine.Queue;

/// <summary>One named cursor of a queue, as inspection sees it.</summary>
/// <param name="Name">The cursor's name, e.g. <c>link</c> or <c>producer</c>.</param>
/// <param name="Seq">The last seq the cursor has finished with (0 when it has finished with none).</param>
/// <param name="Lag">Records appended after the cursor: how far it is behind.</param>
public sealed record QueueCursorInfo(string Name, long Seq, long Lag);
