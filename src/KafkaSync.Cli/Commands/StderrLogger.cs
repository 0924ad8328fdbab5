using System.Globalization;
using Microsoft.Extensions.Logging;

namespace KafkaSync.Cli.Commands;

/// <summary>Log lines on stderr, timestamped, so stdout stays for results.</summary>
internal sealed class StderrLogger : ILogger
{
    private static readonly object Gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = $"{DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}";
        lock (Gate)
        {
            Console.Error.WriteLine(line);
        }
    }
}
