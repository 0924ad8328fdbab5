using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Agents;

/// <summary>
/// A registered agent as it stands now (what <c>Get-KafkaSyncAgent</c> shows): its entry, judged
/// alive or dead, and for source and target agents their latest status snapshot.
/// </summary>
public sealed record AgentInfo
{
    /// <summary>The name it is found by.</summary>
    public required string Name { get; init; }

    /// <summary>What it is.</summary>
    public required AgentKind Kind { get; init; }

    /// <summary>
    /// Starting, Running or Stopping while its process runs (source and target: as their status says);
    /// Dead when the process ended without removing its entry; Stopped or Failed once it has left the registry.
    /// </summary>
    public AgentState State { get; init; }

    /// <summary>The process that runs it.</summary>
    public int ProcessId { get; init; }

    /// <summary>Its queue folder, or null.</summary>
    public string? Path { get; init; }

    /// <summary>Its status or query URL, or null.</summary>
    public Uri? Url { get; init; }

    /// <summary>Records in its queue not yet done (source and target agents; null for the others).</summary>
    public long? LagRecords { get; init; }

    /// <summary>When it was registered (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The machine it runs on.</summary>
    public string MachineName { get; init; } = "";

    /// <summary>The latest status snapshot of a source or target agent, or null.</summary>
    public AgentStatus? Status { get; init; }

    /// <summary>The registry entry this was read from.</summary>
    public required AgentEntry Entry { get; init; }

    /// <summary>Whether its kind keeps a status snapshot beside its queue.</summary>
    public static bool HasStatusFile(AgentKind kind) => kind is AgentKind.Source or AgentKind.Target;

    /// <summary><paramref name="entry"/> as it stands now, as read from <paramref name="registry"/>.</summary>
    public static AgentInfo Of(AgentRegistry registry, AgentEntry entry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(entry);
        var registered = registry.Contains(entry);
        var alive = registered && AgentRegistry.IsAlive(entry);
        var status = HasStatusFile(entry.Kind) ? TryReadStatus(entry) : null;
        var state = (registered, alive) switch
        {
            (true, false) => AgentState.Dead,
            (true, true) when status is not null => status.State,
            (true, true) when status is null && HasStatusFile(entry.Kind) => AgentState.Starting,
            (true, true) => registry.IsStopRequested(entry.Name) ? AgentState.Stopping : AgentState.Running,
            // Gone from the registry: it stopped; its final snapshot says how, where it keeps one.
            _ => status?.State ?? AgentState.Stopped,
        };
        return new AgentInfo
        {
            Name = entry.Name,
            Kind = entry.Kind,
            State = state,
            ProcessId = entry.ProcessId,
            Path = entry.Path,
            Url = entry.Url,
            LagRecords = status?.LagRecords,
            StartedAt = entry.StartedAt,
            MachineName = entry.MachineName,
            Status = status,
            Entry = entry,
        };
    }

    /// <summary>The snapshot this entry's process wrote, or null (none yet, or one left by an earlier run).</summary>
    private static AgentStatus? TryReadStatus(AgentEntry entry)
    {
        if (entry.Path is null)
        {
            return null;
        }

        try
        {
            var status = AgentStatusFile.Read(entry.Path);
            // Hosts register before they run the agent, which stamps its start then: an older snapshot is an earlier run's.
            return status.ProcessId == entry.ProcessId && status.StartedAt >= entry.StartedAt - TimeSpan.FromSeconds(1) ? status : null;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
