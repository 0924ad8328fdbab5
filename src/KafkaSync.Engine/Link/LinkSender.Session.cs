using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Link.Messages;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Link;

/// <content>One connection: connect, authenticate, resume, then stream frames and take acks until it fails.</content>
public sealed partial class LinkSender
{
    private async Task RunSessionAsync(ReconnectBackoff backoff, CancellationToken ct)
    {
        await using var connection = await ConnectAsync(ct);
        connection.Bandwidth = _bucket;
        Volatile.Write(ref _current, connection);
        try
        {
            var (resumeAt, version) = await HandshakeAsync(connection, ct);
            backoff.Reset();
            Update(s => s with { State = LinkState.Connected, Peer = connection.Peer, Connections = s.Connections + 1 });
            LogConnected(_logger, connection.Peer, resumeAt, null);

            using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var window = new SendWindow(_options.WindowBytes);
            var keepAlive = connection.KeepAliveAsync(_options.HeartbeatInterval, _options.HeartbeatTimeout, session.Token);
            var acks = ReceiveAcksAsync(connection, window, session.Token);
            // A target of protocol 1 cannot read field columns: send it what it reads.
            var frames = version >= 2 ? _options.Frames : _options.Frames with { FieldColumns = false };
            var pump = PumpAsync(connection, window, resumeAt, frames, session.Token);
            var first = await Task.WhenAny(acks, pump);
            await session.CancelAsync();
            if (ct.IsCancellationRequested)
            {
                // Stopping: let the frame being written finish, then say goodbye, so the target
                // logs an orderly close instead of a cut.
                await Task.WhenAny(Quietly(pump), Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
                await connection.CloseAsync(LinkFailure.Shutdown, "the source is stopping");
            }

            connection.Abort(new LinkException(LinkFailure.Shutdown, "session ended"));
            try
            {
                await first;
            }
            finally
            {
                await Task.WhenAll(Quietly(acks), Quietly(pump), keepAlive);
            }

            // The pump only ends by itself when the source queue is closed.
            throw new LinkException(LinkFailure.Shutdown, "the source queue was closed");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await connection.CloseAsync(LinkFailure.Shutdown, "the source is stopping");
            throw;
        }
        catch (LinkException ex) when (!ex.IsTransient)
        {
            await connection.CloseAsync(ex.Failure, ex.Message);
            throw;
        }
        finally
        {
            Volatile.Write(ref _current, null);
            Interlocked.Add(ref _wireBytesDone, connection.BytesSent);
        }
    }

    private async Task<LinkConnection> ConnectAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_target.Host, _target.Port, timeout.Token);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (_options.Tls is { } tls)
            {
                stream = await LinkTls.AuthenticateClientAsync(stream, tls, _target.Host, timeout.Token);
            }

            return new LinkConnection(socket, stream, _target.ToString());
        }
        catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            socket.Dispose();
            throw ex is OperationCanceledException
                ? new LinkException(LinkFailure.Timeout, $"could not connect to {_target} within {Configuration.Duration.Format(_options.ConnectTimeout)}")
                : new LinkException(LinkFailure.Network, $"could not connect to {_target}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<(long ResumeAt, ushort Version)> HandshakeAsync(LinkConnection connection, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.ConnectTimeout);
        // Grows across attempts and across restarts of the sender, so the target can tell a late,
        // stale connection attempt from a genuine reconnect.
        _generation = Math.Max(_generation + 1, DateTime.UtcNow.Ticks);
        var generation = _generation;
        var hello = new Hello(LinkHandshake.Version, RandomNumberGenerator.GetBytes(Hello.NonceLength), _sourceId, generation, _source.FirstSeq, _source.NextSeq);
        long resumeAt;
        ushort version;
        try
        {
            (resumeAt, version) = await LinkHandshake.RunClientAsync(connection, _key, hello, 0, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new LinkException(LinkFailure.Timeout, $"the handshake with {connection.Peer} did not finish within {Configuration.Duration.Format(_options.ConnectTimeout)}");
        }

        var first = _source.FirstSeq;
        var next = _source.NextSeq;
        if (resumeAt < first && !_source.LostSeqs.Any(r => r.First <= resumeAt && r.Last >= first - 1))
        {
            throw new LinkException(LinkFailure.ResumeMismatch, $"the target needs seq {resumeAt} but the source queue holds only {first} onwards; the records between are gone from the source (was the target queue replaced?)");
        }

        if (resumeAt > next)
        {
            throw new LinkException(LinkFailure.ResumeMismatch, $"the target queue is ahead of the source (it needs seq {resumeAt}, the source's next seq is {next}); they are not the same stream");
        }

        // Everything below resumeAt is durable on the target: the cursor may pass it.
        Acked(resumeAt - 1);
        return (resumeAt, version);
    }

    private async Task ReceiveAcksAsync(LinkConnection connection, SendWindow window, CancellationToken ct)
    {
        while (true)
        {
            var (type, body) = await connection.ReceiveAsync(0, ct);
            switch (type)
            {
                case LinkMessageType.Ack:
                    var ack = Ack.Decode(body.Span);
                    window.Release(ack.DurableSeq);
                    Acked(ack.DurableSeq);
                    break;
                case LinkMessageType.Heartbeat:
                    break;
                case LinkMessageType.Goodbye:
                    var goodbye = Goodbye.Decode(body.Span);
                    throw new LinkException(goodbye.Failure, $"the target closed the link: {goodbye.Reason}");
                default:
                    throw new LinkException(LinkFailure.Protocol, $"unexpected {type} message from the target");
            }
        }
    }

    /// <summary>True when more records arrived within <paramref name="timeout"/>, false when the time ran out or the queue closed.</summary>
    private static async Task<bool> WaitWithTimeoutAsync(QueueReader reader, TimeSpan timeout, CancellationToken ct)
    {
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(ct);
        linger.CancelAfter(timeout);
        try
        {
            return await reader.WaitToReadAsync(linger.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is LinkException or OperationCanceledException or FrameException or System.Threading.Channels.ChannelClosedException)
        {
        }
    }
}
