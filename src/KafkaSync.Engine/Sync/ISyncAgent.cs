namespace KafkaSync.Engine.Sync;

/// <summary>What the hosts need of an agent, source or target: run it and read its status.</summary>
public interface ISyncAgent
{
    /// <summary>
    /// Reads the link key now (from the credential, file or environment variable the options name),
    /// so a host that runs the agent in the background can report a missing key before it starts.
    /// </summary>
    /// <exception cref="Configuration.OptionsException">No key, more than one, or one that cannot be read.</exception>
    void CheckLinkKey();

    /// <summary>A snapshot of the agent's state and counters.</summary>
    AgentStatus Status { get; }

    /// <summary>Runs until <paramref name="ct"/> is cancelled (a clean stop) or a fatal error; returns the final status.</summary>
    Task<AgentStatus> RunAsync(CancellationToken ct);
}
