using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;

namespace KafkaSync.PowerShell;

/// <summary>
/// The long-running work of this process (foreground cmdlets and agent jobs), so that it is
/// stopped cleanly when the module is removed or the process ends: an agent stopped this way
/// drains, commits and writes its final status instead of leaving "Running" behind.
/// </summary>
/// <remarks>
/// The process exit hook covers <c>exit</c> and the end of a <c>pwsh -File</c> script; a SIGTERM
/// handler covers the service manager's stop. Removal stops only the work the removing runspace
/// started: another runspace of the process may still use its own.
/// </remarks>
internal static class RunningWork
{
    /// <summary>How long stopping waits for the work to drain before letting the process go.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentDictionary<Registration, byte> Runs = new();

    /// <summary>Kept referenced: the registration lasts as long as this object.</summary>
    private static readonly System.Runtime.InteropServices.PosixSignalRegistration? Terminate = RegisterTerminate();

    static RunningWork() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll(null);

    /// <summary>Tracks work until the returned registration is disposed; <paramref name="stop"/> asks it to stop.</summary>
    public static Registration Track(Action stop)
    {
        var registration = new Registration(stop, Runspace.DefaultRunspace?.InstanceId);
        Runs.TryAdd(registration, 0);
        return registration;
    }

    /// <summary>Stops the work started from <paramref name="runspace"/> (all work when null) and waits for it to end.</summary>
    public static void StopAll(Guid? runspace)
    {
        var runs = Runs.Keys.Where(r => runspace is null || r.Runspace == runspace).ToList();
        foreach (var run in runs)
        {
            run.RequestStop();
        }

        Task.WaitAll(runs.Select(r => r.Finished).ToArray(), DrainTimeout);
    }

    /// <summary>
    /// pwsh ends at SIGTERM without raising ProcessExit in time for a drain, so the work is stopped
    /// in the signal handler itself; the default handling (ending the process) follows it.
    /// </summary>
    private static System.Runtime.InteropServices.PosixSignalRegistration? RegisterTerminate()
    {
        try
        {
            return System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => StopAll(null));
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>One piece of tracked work; disposing it marks it finished.</summary>
    internal sealed class Registration(Action stop, Guid? runspace) : IDisposable
    {
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Guid? Runspace { get; } = runspace;

        public Task Finished => _finished.Task;

        public void RequestStop()
        {
            try
            {
                stop();
            }
            catch (ObjectDisposedException)
            {
                // Finished while we asked.
            }
        }

        public void Dispose()
        {
            Runs.TryRemove(this, out _);
            _finished.TrySetResult();
        }
    }
}
