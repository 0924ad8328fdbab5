using System.Runtime.InteropServices;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// POSIX signals to a benchmark's child process: SIGSTOP freezes a cluster process with its data
/// and ports intact (a cluster that stopped answering), SIGCONT resumes it, SIGTERM asks an agent
/// to stop cleanly. .NET offers only SIGKILL (<see cref="System.Diagnostics.Process.Kill()"/>).
/// </summary>
internal static partial class ProcessSignal
{
    /// <summary>Linux's signal numbers (the same on x64 and arm64).</summary>
    public const int Term = 15;

    /// <inheritdoc cref="Term"/>
    public const int Stop = 19;

    /// <inheritdoc cref="Term"/>
    public const int Continue = 18;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>.</summary>
    /// <exception cref="InvalidOperationException">The signal could not be sent (no such process, not Linux).</exception>
    public static void Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException("signals to child processes need Linux.");
        }

        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"signal {signal} to process {pid} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
