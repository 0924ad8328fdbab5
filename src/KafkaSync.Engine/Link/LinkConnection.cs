using System.Diagnostics;
using System.Net.Sockets;
using KafkaSync.Engine.Link.Messages;

namespace KafkaSync.Engine.Link;

/// <summary>
/// One TCP (optionally TLS) connection speaking link envelopes: serialized sends, bounded
/// receives, byte counters, and the heartbeat watchdog that notices a silent peer long before
/// the kernel's keepalive would.
/// </summary>
internal sealed class LinkConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _header = new byte[LinkEnvelope.HeaderLength];
    private readonly byte[] _sendHeader = new byte[LinkEnvelope.HeaderLength];
    private byte[] _body = new byte[4096];
    private long _bytesSent;
    private long _bytesReceived;
    private long _lastReceive = Stopwatch.GetTimestamp();
    private long _lastSend = Stopwatch.GetTimestamp();
    private int _receiving;
    private LinkException? _abortReason;
    private int _disposed;

    public LinkConnection(Socket socket, Stream stream, string peer)
    {
        _socket = socket;
        _stream = stream;
        Peer = peer;
    }

    public string Peer { get; }

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Token bucket applied to every byte sent, when the link is capped.</summary>
    public TokenBucket? Bandwidth { get; set; }

    /// <summary>Why the connection was aborted by this side, if it was.</summary>
    public LinkException? AbortReason => Volatile.Read(ref _abortReason);

    public async ValueTask SendAsync(LinkMessageType type, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (Bandwidth is { } bucket)
        {
            await bucket.TakeAsync(body.Length + LinkEnvelope.HeaderLength, ct);
        }

        await _writeLock.WaitAsync(ct);
        try
        {
            // A message is written whole or the connection dies: cancelling half way would leave
            // the peer a torn message. A dead peer is handled by Abort, which fails the write.
            LinkEnvelope.WriteHeader(_sendHeader, type, body.Length);
            await _stream.WriteAsync(_sendHeader, CancellationToken.None);
            if (body.Length > 0)
            {
                await _stream.WriteAsync(body, CancellationToken.None);
            }

            await _stream.FlushAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            throw Translate(ex);
        }
        finally
        {
            _writeLock.Release();
        }

        Interlocked.Add(ref _bytesSent, body.Length + LinkEnvelope.HeaderLength);
        Volatile.Write(ref _lastSend, Stopwatch.GetTimestamp());
    }

    public ValueTask SendAsync(LinkMessageType type, byte[] body, CancellationToken ct) =>
        SendAsync(type, body.AsMemory(), ct);

    /// <summary>Receives one message; its body stays valid until the next call.</summary>
    public async ValueTask<(LinkMessageType Type, ReadOnlyMemory<byte> Body)> ReceiveAsync(int maxFrameBody, CancellationToken ct)
    {
        // Silence counts only while we wait for the peer: time this side spends elsewhere (e.g.
        // waiting for room in a full queue, so not reading) must not look like a dead peer.
        if (Interlocked.Exchange(ref _receiving, 1) == 0)
        {
            Volatile.Write(ref _lastReceive, Stopwatch.GetTimestamp());
        }

        try
        {
            await ReadExactlyOrThrowAsync(_header, ct);
            var (type, length) = LinkEnvelope.ReadHeader(_header, maxFrameBody);
            if (_body.Length < length)
            {
                _body = new byte[Math.Max(length, Math.Min(_body.Length * 2, maxFrameBody))];
            }

            var body = _body.AsMemory(0, length);
            await ReadExactlyOrThrowAsync(body, ct);
            Interlocked.Add(ref _bytesReceived, length + LinkEnvelope.HeaderLength);
            return (type, body);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            throw Translate(ex);
        }
        finally
        {
            Volatile.Write(ref _receiving, 0);
        }
    }

    /// <summary>
    /// Sends a heartbeat whenever nothing was sent for <paramref name="interval"/>, and aborts the
    /// connection when nothing arrived for <paramref name="timeout"/>. Ends when <paramref name="ct"/> does.
    /// </summary>
    public async Task KeepAliveAsync(TimeSpan interval, TimeSpan timeout, CancellationToken ct)
    {
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, Math.Min(interval.Ticks, timeout.Ticks) / 4));
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (Volatile.Read(ref _receiving) == 1 && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastReceive)) > timeout)
                {
                    Abort(new LinkException(LinkFailure.Timeout, $"no message from {Peer} for {Configuration.Duration.Format(timeout)} (heartbeat timeout)"));
                    return;
                }

                if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastSend)) >= interval && _writeLock.CurrentCount > 0)
                {
                    await SendAsync(LinkMessageType.Heartbeat, ReadOnlyMemory<byte>.Empty, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (LinkException)
        {
            // The read side reports the failure; the watchdog just stops.
        }
    }

    /// <summary>Sends a Goodbye with the reason (best effort, bounded in time) and closes.</summary>
    public async Task CloseAsync(LinkFailure failure, string reason)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                // Bounded: a peer that stopped reading must not hold up the close.
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                using var deadline = cts.Token.Register(() => Abort(new LinkException(failure, reason)));
                await SendAsync(LinkMessageType.Goodbye, new Goodbye(failure, reason).Encode(), cts.Token);
            }
            catch (Exception ex) when (ex is LinkException or OperationCanceledException)
            {
                // The peer may already be gone; the reason is logged on this side anyway.
            }
        }

        await DisposeAsync();
    }

    /// <summary>Closes the socket at once; pending reads and writes fail with <paramref name="reason"/>.</summary>
    public void Abort(LinkException reason)
    {
        Interlocked.CompareExchange(ref _abortReason, reason, null);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _stream.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }

    private async ValueTask ReadExactlyOrThrowAsync(Memory<byte> buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer[read..], ct);
            if (n == 0)
            {
                throw AbortReason ?? new LinkException(LinkFailure.Network, read == 0 && buffer.Length == LinkEnvelope.HeaderLength
                    ? $"{Peer} closed the connection"
                    : $"{Peer} closed the connection in the middle of a message");
            }

            read += n;

            // Progress within a long message on a slow link is a sign of life too.
            Volatile.Write(ref _lastReceive, Stopwatch.GetTimestamp());
        }
    }

    private LinkException Translate(Exception ex) =>
        AbortReason ?? new LinkException(LinkFailure.Network, $"connection to {Peer} failed: {ex.Message}", ex);
}
