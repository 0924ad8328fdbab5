using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaSync.Engine.Agents;

namespace KafkaSync.PowerShell.Completion;

/// <summary>Completes the names of the agents registered as running on this machine for this user (live or dead).</summary>
public sealed class AgentNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            return CompletionResults.Matching(AgentRegistry.ForCurrentUser().Entries().Select(e => e.Name), wordToComplete ?? "", CompletionResultType.ParameterValue);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
