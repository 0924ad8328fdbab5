using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KafkaSync.Engine.Tests.Link;

/// <summary>Keeps every log line, so tests can assert that a closed connection was logged with its reason.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");

    /// <summary>Waits until a line containing every fragment is logged.</summary>
    public async Task<string> WaitForAsync(CancellationToken ct, params string[] fragments)
    {
        while (true)
        {
            var hit = _lines.FirstOrDefault(l => fragments.All(f => l.Contains(f, StringComparison.OrdinalIgnoreCase)));
            if (hit is not null)
            {
                return hit;
            }

            try
            {
                await Task.Delay(10, ct);
            }
            catch (OperationCanceledException ex)
            {
                // Show what was logged instead, so a failure explains itself.
                throw new TimeoutException($"no log line with '{string.Join("', '", fragments)}'; logged:\n{string.Join("\n", _lines)}", ex);
            }
        }
    }
}
