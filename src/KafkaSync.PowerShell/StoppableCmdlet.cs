using System.Management.Automation;
using KafkaSync.Engine.Agents;

namespace KafkaSync.PowerShell;

/// <summary>
/// What the long-running cmdlets share: a token that Ctrl+C (StopProcessing) cancels, disposed
/// with the cmdlet, and the resolution of PowerShell paths to provider paths. The run is known to
/// <see cref="RunningWork"/>, so removing the module or ending the process stops it cleanly too.
/// </summary>
public abstract class StoppableCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private RunningWork.Registration? _tracked;

    /// <summary>Cancelled by Ctrl+C.</summary>
    private protected CancellationToken StopToken => _stop.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        _tracked?.Dispose();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override void BeginProcessing() => _tracked = RunningWork.Track(_stop.Cancel);

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>
    /// Lists the work in the current user's registry of running agents, so Get-KafkaSyncAgent shows it
    /// and Stop-KafkaSyncAgent can stop it from any session; warns when the registry cannot be written.
    /// </summary>
    private protected AgentRegistration Register(AgentKind kind, string name, string? path = null, Uri? url = null)
    {
        var registration = AgentRegistry.ForCurrentUser().Register(kind, name, path, url);
        if (registration.Problem is { } problem)
        {
            WriteWarning(problem);
        }

        return registration;
    }

    /// <summary>A PowerShell path (relative to the current location) as a provider path, or null for null.</summary>
    private protected string? ResolvePath(string? path) => PowerShellPaths.Resolve(this, path);
}
