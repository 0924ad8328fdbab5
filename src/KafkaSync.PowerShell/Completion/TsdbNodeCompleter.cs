using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.PowerShell.Completion;

/// <summary>
/// Completes node names from the time-series service's status endpoint (the command's -Url, or
/// the default), when it answers within two seconds.
/// </summary>
public sealed class TsdbNodeCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var url = CompletionResults.BoundValue(fakeBoundParameters, "Url") ?? TsdbStatusClient.DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return [];
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var nodes = TsdbStatusClient.GetNodesAsync(uri, timeout.Token).GetAwaiter().GetResult();
            return CompletionResults.Matching(nodes.Select(n => n.Name), wordToComplete ?? "", CompletionResultType.ParameterValue);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or TimeoutException)
        {
            return [];
        }
    }
}
