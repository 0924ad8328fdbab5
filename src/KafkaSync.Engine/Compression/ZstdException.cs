namespace KafkaSync.Engine.Compression;

/// <summary>zstd reported an error (corrupt input, output too small, bad parameter, ...).</summary>
public sealed class ZstdException : IOException
{
    /// <summary>Creates an exception for a failed zstd call.</summary>
    /// <param name="operation">The zstd function or step that failed.</param>
    /// <param name="problem">What went wrong, usually ZSTD_getErrorName's text.</param>
    public ZstdException(string operation, string problem)
        : base($"zstd {operation} failed: {problem}.")
    {
        Operation = operation;
        Problem = problem;
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public ZstdException()
        : this("call", "unknown error")
    {
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public ZstdException(string message)
        : this("call", message)
    {
    }

    /// <summary>Creates an exception with a plain message and its cause.</summary>
    public ZstdException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "call";
        Problem = message;
    }

    /// <summary>The zstd function or step that failed.</summary>
    public string Operation { get; }

    /// <summary>What went wrong.</summary>
    public string Problem { get; }
}
