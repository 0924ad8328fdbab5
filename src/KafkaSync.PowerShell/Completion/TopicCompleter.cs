using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.PowerShell.Completion;

/// <summary>
/// Completes topic names from the cluster named by the command's -BootstrapServers, when one is
/// typed and answers within two seconds; otherwise offers nothing rather than holding the prompt.
/// </summary>
public sealed class TopicCompleter : IArgumentCompleter
{
    /// <summary>How long completion waits for the cluster.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var bootstrap = CompletionResults.BoundValue(fakeBoundParameters, "BootstrapServers");
        return string.IsNullOrWhiteSpace(bootstrap)
            ? []
            : CompletionResults.Matching(TopicList.Get(bootstrap, Timeout), wordToComplete ?? "", CompletionResultType.ParameterValue);
    }
}
