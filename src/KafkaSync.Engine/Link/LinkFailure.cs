namespace KafkaSync.Engine.Link;

/// <summary>Why a link connection ended; travels in a Goodbye and shows in <see cref="LinkStatus.LastError"/>.</summary>
public enum LinkFailure : ushort
{
    /// <summary>No failure: an orderly close.</summary>
    None = 0,

    /// <summary>The peer sent bytes that break the protocol: garbage, an unknown or oversized message, a bad or truncated frame.</summary>
    Protocol = 1,

    /// <summary>The peer speaks a protocol version this side does not.</summary>
    Version = 2,

    /// <summary>The peer failed the pre-shared-key proof, or sent none.</summary>
    Authentication = 3,

    /// <summary>Another source is already connected to this target queue.</summary>
    Busy = 4,

    /// <summary>The two queues cannot be joined: the target needs records the source no longer holds, or is ahead of it.</summary>
    ResumeMismatch = 5,

    /// <summary>The peer stopped answering within the heartbeat timeout, or the handshake took too long.</summary>
    Timeout = 6,

    /// <summary>The network failed: connection refused, reset or closed.</summary>
    Network = 7,

    /// <summary>TLS negotiation failed or the certificate did not match the pin.</summary>
    Tls = 8,

    /// <summary>The connection was replaced by a newer one from the same source.</summary>
    Replaced = 9,

    /// <summary>The side is shutting down.</summary>
    Shutdown = 10,
}
