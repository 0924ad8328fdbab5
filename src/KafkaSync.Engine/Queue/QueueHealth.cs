namespace KafkaSync.Engine.Queue;

/// <summary>What inspection found in a queue's files.</summary>
public enum QueueHealth
{
    /// <summary>Every record checked is whole and valid.</summary>
    Healthy,

    /// <summary>
    /// The tail segment ends in a partial record: a write in progress while the owner runs, or a
    /// torn write from a crash, which the owner cuts when it next opens the queue. Nothing committed is lost.
    /// </summary>
    TornTail,

    /// <summary>A committed record is damaged; the queue serves nothing past it until a repair.</summary>
    Corrupt,
}
