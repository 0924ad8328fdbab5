using System.Management.Automation;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Sync;

/// <summary>The error record of an agent that stopped on an error, the same in the foreground and in a job.</summary>
internal static class AgentErrors
{
    public static ErrorRecord Record(Exception ex, object? target) => ex switch
    {
        OptionsException => new ErrorRecord(ex, AgentCmdletBase.InvalidAgentOptions, ErrorCategory.InvalidArgument, target),
        UnauthorizedAccessException => new ErrorRecord(ex, AgentCmdletBase.AgentFailed, ErrorCategory.PermissionDenied, target),
        QueueException => new ErrorRecord(ex, AgentCmdletBase.AgentFailed, ErrorCategory.ResourceUnavailable, target),
        Engine.Sync.AgentException => new ErrorRecord(ex, AgentCmdletBase.AgentFailed, ErrorCategory.OperationStopped, target),
        IOException => new ErrorRecord(ex, AgentCmdletBase.AgentFailed, ErrorCategory.ResourceUnavailable, target),
        _ => new ErrorRecord(ex, AgentCmdletBase.AgentFailed, ErrorCategory.OperationStopped, target),
    };
}
