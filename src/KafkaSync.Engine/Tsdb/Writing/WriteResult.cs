namespace KafkaSync.Engine.Tsdb.Writing;

/// <summary>The classified answer to one write, with the node's own words for failures.</summary>
internal readonly record struct WriteResult(WriteOutcome Outcome, int Status, string Reason)
{
    public static readonly WriteResult Ok = new(WriteOutcome.Written, 204, "");
}
