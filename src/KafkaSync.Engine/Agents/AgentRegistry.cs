using System.Text;
using System.Text.Json;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Agents;

/// <summary>
/// The agents and services running on this machine for the current user, so that any session or
/// process can list them and ask one to stop: a folder with one small JSON entry per running agent
/// (<c>NAME.json</c>) and, while a stop is asked for, a stop-request file beside it (<c>NAME.stop</c>)
/// that the agent polls. A process that ends without removing its entry leaves it behind; such an
/// entry reads as dead (its process is checked as <see cref="AgentLiveness"/> does) and its name
/// can be taken again.
/// </summary>
public sealed class AgentRegistry
{
    /// <summary>The environment variable that moves the registry to another folder (tests, several users sharing a service account).</summary>
    public const string FolderVariable = "KAFKASYNC_AGENT_REGISTRY";

    private const string EntryExtension = ".json";
    private const string StopExtension = ".stop";

    /// <summary>A registry in <paramref name="folder"/>; the folder is created when the first agent registers.</summary>
    public AgentRegistry(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = System.IO.Path.GetFullPath(folder);
    }

    /// <summary>The registry's folder.</summary>
    public string Folder { get; }

    /// <summary>
    /// The current user's registry: the folder named by <see cref="FolderVariable"/>, else
    /// <c>kafkasync/agents</c> in the user's local application data (~/.local/share on Linux).
    /// Read at each call, so a test or a script may move it for the agents it starts.
    /// </summary>
    public static AgentRegistry ForCurrentUser()
    {
        var folder = Environment.GetEnvironmentVariable(FolderVariable);
        if (string.IsNullOrEmpty(folder))
        {
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            folder = System.IO.Path.Combine(local.Length > 0 ? local : System.IO.Path.GetTempPath(), "kafkasync", "agents");
        }

        return new AgentRegistry(folder);
    }

    /// <summary>
    /// Registers this process as running an agent named <paramref name="name"/>. When a live agent
    /// has that name already, the first free of NAME-2, NAME-3… is taken; a dead one's name is taken over.
    /// A registry that cannot be written (a service account without a home folder) does not stop the
    /// agent: the registration then says why in <see cref="AgentRegistration.Problem"/>.
    /// </summary>
    public AgentRegistration Register(AgentKind kind, string name, string? path = null, Uri? url = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            return Claim(kind, name, path, url);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var entry = NewEntry(kind, Sanitize(name), path, url);
            var problem = $"not listed as a running agent (Get-KafkaSyncAgent, Stop-KafkaSyncAgent): the registry folder '{Folder}' cannot be written ({ex.Message}); set {FolderVariable} to a writable folder";
            return new AgentRegistration(this, entry, problem);
        }
    }

    private AgentRegistration Claim(AgentKind kind, string name, string? path, Uri? url)
    {
        Directory.CreateDirectory(Folder);
        var wanted = Sanitize(name);
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? wanted : $"{wanted}-{n}";
            if (Find(candidate) is { } existing)
            {
                if (IsAlive(existing))
                {
                    continue;
                }

                Remove(candidate);
            }

            var entry = NewEntry(kind, candidate, path, url);
            if (TryClaim(entry))
            {
                return new AgentRegistration(this, entry);
            }
        }
    }

    private static AgentEntry NewEntry(AgentKind kind, string name, string? path, Uri? url) => new()
    {
        Name = name,
        Kind = kind,
        Path = path is null ? null : System.IO.Path.GetFullPath(path),
        Url = url,
        ProcessId = Environment.ProcessId,
        ProcessStartedAt = AgentLiveness.ProcessStartedAt,
        MachineName = Environment.MachineName,
        StartedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>Every entry, live or dead, by name; entries that cannot be read (being written, damaged) are left out.</summary>
    public IReadOnlyList<AgentEntry> Entries()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(Folder, "*" + EntryExtension)
            .Select(file => Read(file))
            .OfType<AgentEntry>()
            .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>The entry named <paramref name="name"/> (case-insensitive), or null.</summary>
    public AgentEntry? Find(string name) =>
        Entries().FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the process of <paramref name="entry"/> still runs (entries of another machine cannot be checked and count as alive).</summary>
    public static bool IsAlive(AgentEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var here = string.Equals(entry.MachineName, Environment.MachineName, StringComparison.OrdinalIgnoreCase);
        return !here || AgentLiveness.IsRunning(entry.ProcessId, entry.ProcessStartedAt);
    }

    /// <summary>Whether <paramref name="entry"/> is still in the registry (the agent has not stopped).</summary>
    public bool Contains(AgentEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Read(EntryPath(entry.Name)) is { } current && current.ProcessId == entry.ProcessId && current.StartedAt == entry.StartedAt;
    }

    /// <summary>Asks the agent of <paramref name="entry"/> to stop; it notices within a second and stops as on Ctrl+C.</summary>
    public void RequestStop(AgentEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        File.WriteAllText(StopPath(entry.Name), $"stop requested by process {Environment.ProcessId} at {DateTimeOffset.UtcNow:O}\n");
    }

    /// <summary>Whether a stop was requested for the agent named <paramref name="name"/>.</summary>
    public bool IsStopRequested(string name) => File.Exists(StopPath(name));

    /// <summary>Removes the entry named <paramref name="name"/> and its stop request: what an agent does when it stops, and what clears a dead entry.</summary>
    public void Remove(string name)
    {
        TryDelete(EntryPath(name));
        TryDelete(StopPath(name));
    }

    /// <summary>
    /// Waits until the agent of <paramref name="entry"/> has left the registry or its process has
    /// ended; false when <paramref name="timeout"/> passed first.
    /// </summary>
    public async Task<bool> WaitUntilGoneAsync(AgentEntry entry, TimeSpan timeout, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var deadline = DateTime.UtcNow + timeout;
        while (Contains(entry) && IsAlive(entry))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(AgentRegistration.StopPollInterval, cancellation);
        }

        return true;
    }

    /// <summary>A name as a file name on every platform: letters, digits, '.', '-' and '_' kept, anything else becomes '_'.</summary>
    internal static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        return text.ToString().Trim('.') is { Length: > 0 } clean ? clean : "agent";
    }

    /// <summary>Writes the entry beside its final place and moves it in without overwriting, so two processes never claim one name.</summary>
    private bool TryClaim(AgentEntry entry)
    {
        var temp = System.IO.Path.Combine(Folder, $".{entry.Name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(entry, ConfigFile.Json));
        try
        {
            // A stop request left by a dead owner of the name must not stop the new agent.
            TryDelete(StopPath(entry.Name));
            File.Move(temp, EntryPath(entry.Name), overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(EntryPath(entry.Name)))
        {
            TryDelete(temp);
            return false;
        }
    }

    private static AgentEntry? Read(string file)
    {
        try
        {
            return JsonSerializer.Deserialize<AgentEntry>(File.ReadAllBytes(file), ConfigFile.Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another process removed it, or it is not ours to remove: either way it no longer matters here.
        }
    }

    private string EntryPath(string name) => System.IO.Path.Combine(Folder, Sanitize(name) + EntryExtension);

    private string StopPath(string name) => System.IO.Path.Combine(Folder, Sanitize(name) + StopExtension);
}
