using System.Diagnostics;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Tells a live agent from a dead one by its status snapshot. A snapshot says "Running" until the
/// agent writes its final one, so a process that was killed leaves "Running" behind for good; the
/// snapshot therefore carries the process id, the process's start time and the machine, and the
/// reader checks that this very process still runs. On another machine the process cannot be
/// checked, and the snapshot's age stands in: agents rewrite it every second, so one older than
/// <see cref="Lease"/> counts as dead.
/// </summary>
public static class AgentLiveness
{
    /// <summary>How old a snapshot from another machine may be before its agent counts as dead.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>Process start times read twice differ by rounding; a reused process id starts later than this.</summary>
    private static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(1);

    private static readonly Lazy<DateTimeOffset?> CurrentStart = new(() => StartTimeOf(Environment.ProcessId));

    /// <summary>When this process started (UTC), or null where the platform does not say.</summary>
    public static DateTimeOffset? ProcessStartedAt => CurrentStart.Value;

    /// <summary><paramref name="status"/> with this process's id, start time and machine, as an agent writes it.</summary>
    public static AgentStatus Stamp(AgentStatus status) => status with
    {
        ProcessId = Environment.ProcessId,
        ProcessStartedAt = ProcessStartedAt,
        MachineName = Environment.MachineName,
    };

    /// <summary>
    /// <paramref name="status"/> as it stands at <paramref name="now"/>: an agent in an active state
    /// (starting, running, stopping) whose process is gone becomes <see cref="AgentState.Dead"/>.
    /// </summary>
    public static AgentStatus Judge(AgentStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var active = status.State is AgentState.Starting or AgentState.Running or AgentState.Stopping;
        return active && !IsAlive(status, now)
            ? status with { State = AgentState.Dead, Note = $"process {status.ProcessId} ended without stopping the agent" }
            : status;
    }

    /// <summary>Whether the process that wrote <paramref name="status"/> still runs (by the lease when it ran on another machine).</summary>
    public static bool IsAlive(AgentStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var here = status.MachineName is null || string.Equals(status.MachineName, Environment.MachineName, StringComparison.OrdinalIgnoreCase);
        return here && status.ProcessId > 0
            ? IsRunning(status.ProcessId, status.ProcessStartedAt)
            : now - status.UpdatedAt < Lease;
    }

    /// <summary>Whether process <paramref name="processId"/> runs on this machine and, when <paramref name="startedAt"/> is given, is the one that started then.</summary>
    public static bool IsRunning(int processId, DateTimeOffset? startedAt)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            if (process.HasExited)
            {
                return false;
            }
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        if (startedAt is null || StartTimeOf(processId) is not { } actual)
        {
            return true;
        }

        return (actual - startedAt.Value).Duration() <= StartTimeTolerance;
    }

    private static DateTimeOffset? StartTimeOf(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Gone, or not ours to inspect: the process id alone has to do.
            return null;
        }
    }
}
