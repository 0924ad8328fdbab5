namespace KafkaSync.Engine.Agents;

/// <summary>
/// An agent's place in the <see cref="AgentRegistry"/> while it runs. <see cref="StopRequested"/>
/// fires when another process asks it to stop; the host links it with its own stop (Ctrl+C,
/// SIGTERM, Stop-Job) so the agent stops exactly as it would then. Disposing it, once the agent
/// has stopped and written its final status, removes the entry.
/// </summary>
public sealed class AgentRegistration : IDisposable
{
    /// <summary>How often the stop-request file is looked for; agents rewrite their status as often.</summary>
    internal static readonly TimeSpan StopPollInterval = TimeSpan.FromMilliseconds(250);

    private readonly AgentRegistry _registry;
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer? _poll;
    private int _disposed;

    internal AgentRegistration(AgentRegistry registry, AgentEntry entry, string? problem = null)
    {
        _registry = registry;
        Entry = entry;
        Problem = problem;
        _poll = problem is null ? new Timer(_ => Poll(), null, StopPollInterval, StopPollInterval) : null;
    }

    /// <summary>The entry as registered (its name may carry a suffix when the wanted one was taken).</summary>
    public AgentEntry Entry { get; }

    /// <summary>
    /// Why the agent could not be listed (the registry folder cannot be written), or null. The agent
    /// runs all the same, only unseen by Get-KafkaSyncAgent; hosts say so as a warning.
    /// </summary>
    public string? Problem { get; }

    /// <summary>Fires when a stop was requested through the registry.</summary>
    public CancellationToken StopRequested => _stop.Token;

    /// <summary>Removes the entry (and any stop request) from the registry.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_poll is not null)
        {
            _poll.Dispose();
            _registry.Remove(Entry.Name);
        }

        _stop.Dispose();
    }

    private void Poll()
    {
        if (Volatile.Read(ref _disposed) == 0 && _registry.IsStopRequested(Entry.Name))
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile: the agent has stopped already.
            }
        }
    }
}
