namespace KafkaSync.Engine.Sync;

/// <summary>
/// An agent cannot go on: a cluster is unreachable, a topic is missing, Kafka refused a record
/// for good. The message says what failed and what to check.
/// </summary>
public sealed class AgentException : IOException
{
    /// <summary>Creates the exception.</summary>
    public AgentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public AgentException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
