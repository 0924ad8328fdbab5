using System.Collections.Concurrent;
using System.Management.Automation;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>
/// Carries log lines from the engine's threads to the pipeline thread, the only thread a
/// cmdlet may write from, while it waits for Ctrl+C.
/// </summary>
internal sealed class TsdbLogPump : IProgress<string>, IDisposable
{
    private readonly BlockingCollection<string> lines = new();

    public void Report(string value) => lines.TryAdd(value);

    /// <summary>
    /// Writes each line to the Information stream (tagged KafkaSync and Tsdb) until <paramref name="stop"/>
    /// fires. The lines are the service's events (node state changes), which scripts capture with
    /// -InformationVariable; they are written once, not also as Verbose.
    /// </summary>
    public void PumpUntil(Cmdlet cmdlet, CancellationToken stop)
    {
        try
        {
            foreach (var line in lines.GetConsumingEnumerable(stop))
            {
                Write(cmdlet, line);
            }
        }
        catch (OperationCanceledException)
        {
        }

        while (lines.TryTake(out var rest))
        {
            Write(cmdlet, rest);
        }
    }

    public void Dispose() => lines.Dispose();

    private static void Write(Cmdlet cmdlet, string line) => PipelineWrites.TryWrite(cmdlet, () =>
    {
        cmdlet.WriteInformation(new InformationRecord(line, "KafkaSync.Tsdb") { Tags = { "KafkaSync", "Tsdb" } });
    });
}
