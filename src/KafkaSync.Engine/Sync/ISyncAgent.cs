namespace KafkaSync.Engine.Sync;

/// <summary>What the hosts need of an agent, source or target: run it and read its status.</summary>
public interface ISyncAgent
{
    /// <summary>A snapshot of the agent's state and counters.</summary>
    AgentStatus Status { get; }

    /// <summary>Runs until <paramref name="ct"/> is cancelled (a clean stop) or a fatal error; returns the final status.</summary>
    Task<AgentStatus> RunAsync(CancellationToken ct);
}
