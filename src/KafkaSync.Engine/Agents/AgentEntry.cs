namespace KafkaSync.Engine.Agents;

/// <summary>
/// One running agent or service in the <see cref="AgentRegistry"/>: what it is, where its data or
/// status is, and the process that runs it (id, start time and machine, as status files stamp them).
/// </summary>
public sealed record AgentEntry
{
    /// <summary>The name it is found by; unique in the registry.</summary>
    public required string Name { get; init; }

    /// <summary>What it is.</summary>
    public required AgentKind Kind { get; init; }

    /// <summary>Its queue folder (source, target, sender, receiver), or null.</summary>
    public string? Path { get; init; }

    /// <summary>Its status URL (time-series cluster) or query URL (balancer), or null.</summary>
    public Uri? Url { get; init; }

    /// <summary>The process that runs it.</summary>
    public int ProcessId { get; init; }

    /// <summary>When that process started (UTC); with the id it tells the process from a later one reusing the id.</summary>
    public DateTimeOffset? ProcessStartedAt { get; init; }

    /// <summary>The machine it runs on.</summary>
    public string MachineName { get; init; } = "";

    /// <summary>When it was registered (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }
}
