namespace KafkaSync.Engine.Queue;

/// <summary>Another writer (in this or another process) already has the queue open.</summary>
public sealed class QueueLockedException : QueueException
{
    /// <summary>Creates the exception for the queue at <paramref name="path"/>.</summary>
    public QueueLockedException(string path, Exception? innerException = null)
        : base($"The queue at '{path}' is already open for writing by another process or handle; only one writer may own a queue. Stop the other writer, or use inspection (queue info / Get-KafkaSyncQueue), which reads without the lock.", innerException ?? new IOException("locked"))
    {
        Path = path;
    }

    /// <summary>The queue's folder.</summary>
    public string Path { get; }
}
