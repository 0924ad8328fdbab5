namespace KafkaSync.Engine.Framing;

/// <summary>
/// A frame was rejected. Nothing from it may be used; the connection it came on should be
/// closed (its compression stream can no longer be trusted), logging <see cref="Exception.Message"/>.
/// </summary>
public sealed class FrameException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">The kind of problem.</param>
    /// <param name="detail">What exactly was wrong, for the log.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public FrameException(FrameError reason, string detail, Exception? innerException = null)
        : base($"Bad frame ({reason}): {detail}", innerException)
    {
        Reason = reason;
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public FrameException()
        : this(FrameError.BadLayout, "unspecified")
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public FrameException(string message)
        : this(FrameError.BadLayout, message)
    {
    }

    /// <summary>Creates the exception with a plain message and its cause.</summary>
    public FrameException(string message, Exception innerException)
        : this(FrameError.BadLayout, message, innerException)
    {
    }

    /// <summary>The kind of problem.</summary>
    public FrameError Reason { get; }
}
