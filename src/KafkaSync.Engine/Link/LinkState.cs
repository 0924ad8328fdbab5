namespace KafkaSync.Engine.Link;

/// <summary>Where a link side stands.</summary>
public enum LinkState
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>Source: connecting or handshaking. Target: listening, no source connected.</summary>
    Connecting,

    /// <summary>A source and target are joined and records flow.</summary>
    Connected,

    /// <summary>Source: waiting before the next attempt after a failure.</summary>
    Backoff,

    /// <summary>Stopped (cancelled, or a failure that retrying cannot fix).</summary>
    Stopped,
}
