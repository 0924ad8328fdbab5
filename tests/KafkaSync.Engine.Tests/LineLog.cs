using System.Collections.Concurrent;

namespace KafkaSync.Engine.Tests;

/// <summary>Keeps every line a component logs, for tests that check what the operator reads.</summary>
internal sealed class LineLog : IProgress<string>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IEnumerable<string> Lines => _lines;

    public void Report(string value) => _lines.Enqueue(value);
}
