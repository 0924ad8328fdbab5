using System.Diagnostics;

namespace KafkaSync.Surface.Tests.Cli;

/// <summary>Runs the built `kafkasync` host as a separate process, the way users and services do.</summary>
internal static class HostProcess
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(90);

    public sealed record Result(int ExitCode, string Out, string Err);

    /// <summary>Starts the host with its output redirected; the caller owns the process.</summary>
    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kafkasync.dll"));
        // Agents the tests start (and kill) register in a registry of the tests, not in the user's.
        info.Environment[KafkaSync.Engine.Agents.AgentRegistry.FolderVariable] = Path.Combine(Path.GetTempPath(), "kafkasync-test-agents");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    /// <summary>Runs the host to its end (at most 90 s) and captures what it printed.</summary>
    public static Task<Result> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>Runs the host to its end (at most 90 s, or until <paramref name="cancellation"/>) and captures what it printed.</summary>
    public static async Task<Result> RunAsync(CancellationToken cancellation, params string[] args)
    {
        using var process = Start(args);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(RunLimit);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellation.IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"kafkasync {string.Join(' ', args)} did not finish in {RunLimit.TotalSeconds:0} s");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
