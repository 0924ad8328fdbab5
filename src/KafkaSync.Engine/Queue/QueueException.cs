namespace KafkaSync.Engine.Queue;

/// <summary>A disk queue cannot do what was asked; the message says why and what to do.</summary>
public class QueueException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public QueueException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public QueueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public QueueException()
    {
    }
}
