using System.Globalization;

namespace KafkaSync.Cli.Commands;

/// <summary>Progress messages of an agent, one timestamped line each on stderr (stdout stays for results).</summary>
internal sealed class StderrLog : IProgress<string>
{
    private readonly object _gate = new();

    public void Report(string value)
    {
        lock (_gate)
        {
            Console.Error.WriteLine($"{DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {value}");
        }
    }
}
