namespace KafkaSync.Engine.Sync;

/// <summary>Where an agent is in its life.</summary>
public enum AgentState
{
    /// <summary>Opening its queue and connecting.</summary>
    Starting,

    /// <summary>Moving records.</summary>
    Running,

    /// <summary>Asked to stop; draining what is in flight.</summary>
    Stopping,

    /// <summary>Stopped cleanly.</summary>
    Stopped,

    /// <summary>Stopped by an error; see the last error.</summary>
    Failed,

    /// <summary>
    /// Never written by an agent: what a reader of its status sees when the process that ran it
    /// ended without stopping it (killed, crashed, machine restarted); the rest is its last snapshot.
    /// </summary>
    Dead,
}
