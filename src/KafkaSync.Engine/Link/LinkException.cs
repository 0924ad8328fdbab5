namespace KafkaSync.Engine.Link;

/// <summary>A link connection failed; <see cref="Failure"/> says what kind of failure, the message says what exactly.</summary>
public sealed class LinkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LinkException(LinkFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    /// <summary>Creates a protocol failure (for serializers and tooling).</summary>
    public LinkException()
        : this(LinkFailure.Protocol, "link protocol error")
    {
    }

    /// <summary>Creates a protocol failure with a message.</summary>
    public LinkException(string message)
        : this(LinkFailure.Protocol, message)
    {
    }

    /// <summary>Creates a protocol failure with a message and a cause.</summary>
    public LinkException(string message, Exception inner)
        : this(LinkFailure.Protocol, message, inner)
    {
    }

    /// <summary>What kind of failure ended the connection.</summary>
    public LinkFailure Failure { get; }

    /// <summary>Whether retrying the connection can help (network trouble, timeouts, a busy target), as opposed to a configuration problem.</summary>
    public bool IsTransient => Failure is LinkFailure.Network or LinkFailure.Timeout or LinkFailure.Busy or LinkFailure.Protocol or LinkFailure.Replaced or LinkFailure.Shutdown;
}
