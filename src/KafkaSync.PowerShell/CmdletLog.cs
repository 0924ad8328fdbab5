using System.Collections.Concurrent;
using System.Management.Automation;

namespace KafkaSync.PowerShell;

/// <summary>
/// Collects the engine's messages from worker threads until the pipeline thread writes them to
/// the Verbose stream: PowerShell accepts output only from the pipeline thread.
/// </summary>
internal sealed class CmdletLog : IProgress<string>
{
    private readonly ConcurrentQueue<string> _messages = new();

    public void Report(string value) => _messages.Enqueue(value);

    /// <summary>Writes what has arrived; call on the pipeline thread.</summary>
    public void Drain(Cmdlet cmdlet)
    {
        while (_messages.TryDequeue(out var message))
        {
            cmdlet.WriteVerbose(message);
        }
    }
}
