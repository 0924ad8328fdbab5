using System.Text.Json;
using System.Text.Json.Serialization;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Cli.Commands;

/// <summary>
/// What every command shares: exit codes, error reporting, JSON output for scripts, and
/// Ctrl+C / SIGTERM turned into a cancellation the engine drains on.
/// </summary>
internal static class CliRun
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The work failed (I/O, network, corrupt data).</summary>
    public const int Failed = 1;

    /// <summary>The command line or the config is wrong.</summary>
    public const int BadInput = 2;

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Runs <paramref name="body"/>, mapping known failures to a one-line message on stderr and an exit code.</summary>
    public static async Task<int> GuardAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
        try
        {
            return await body(stop.Token);
        }
        catch (OptionsException ex)
        {
            await Console.Error.WriteLineAsync("kafkasync: " + ex.Message);
            return BadInput;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException or ArgumentException or KafkaSync.Engine.Queue.QueueException)
        {
            await Console.Error.WriteLineAsync("kafkasync: " + ex.Message);
            return Failed;
        }
    }

    /// <summary>How to start this program again (e.g. "dotnet", "kafkasync.dll"), for benchmarks that run their pieces as child processes.</summary>
    public static IReadOnlyList<string> SelfCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" && !string.IsNullOrEmpty(entry) ? [host, entry] : [host];
    }

    /// <summary>
    /// Registers this process as running an agent or service (so Get-KafkaSyncAgent lists it and
    /// Stop-KafkaSyncAgent can stop it from any session) and runs <paramref name="run"/> with a
    /// token that fires on <paramref name="stop"/> or on such a stop request. The entry goes once the run has ended.
    /// </summary>
    public static async Task<T> RegisteredAsync<T>(AgentKind kind, string name, string? path, Uri? url, CancellationToken stop, Func<CancellationToken, Task<T>> run)
    {
        using var registration = AgentRegistry.ForCurrentUser().Register(kind, name, path, url);
        if (registration.Problem is { } problem)
        {
            await Console.Error.WriteLineAsync("kafkasync: warning: " + problem);
        }

        using var stopOrRequest = CancellationTokenSource.CreateLinkedTokenSource(stop, registration.StopRequested);
        return await run(stopOrRequest.Token);
    }

    /// <summary>Waits until <paramref name="stop"/> fires.</summary>
    public static async Task UntilStoppedAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Writes <paramref name="value"/> as indented camelCase JSON on stdout.</summary>
    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));
}
