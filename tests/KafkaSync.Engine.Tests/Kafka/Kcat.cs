using System.Diagnostics;

namespace KafkaSync.Engine.Tests.Kafka;

/// <summary>Runs the independent `kcat` client, the outside witness that our clusters speak real Kafka.</summary>
internal static class Kcat
{
    public static async Task<string> RunAsync(string arguments, string? stdin, CancellationToken ct)
    {
        var info = new ProcessStartInfo("kcat", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("kcat did not start");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kcat {arguments} exited with {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
