namespace KafkaSync.Engine.Tsdb;

/// <summary>One state change of one node, as kept in the monitor's timeline.</summary>
/// <param name="At">When it changed.</param>
/// <param name="Node">The node's name.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="Reason">Why, in words (the failure, or the offsets that showed it caught up).</param>
public sealed record TsdbTimelineEntry(DateTimeOffset At, string Node, TsdbNodeState From, TsdbNodeState To, string Reason);
