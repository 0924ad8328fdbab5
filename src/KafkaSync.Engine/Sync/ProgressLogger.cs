using Microsoft.Extensions.Logging;

namespace KafkaSync.Engine.Sync;

/// <summary>Routes the link's log messages to an agent's progress sink (Verbose in cmdlets, stderr in the host).</summary>
internal sealed class ProgressLogger(IProgress<string>? sink, string prefix) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => sink is not null && logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            sink!.Report(prefix + formatter(state, exception));
        }
    }
}
