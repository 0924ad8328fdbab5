using System.Buffers;
using System.Net.Sockets;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Link.Messages;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Link;

/// <content>One connection: handshake, claim the queue, then append frames and acknowledge commits.</content>
public sealed partial class LinkReceiver
{
    private async Task HandleAsync(Socket socket, System.Net.IPAddress address, CancellationToken ct)
    {
        // Run off the accept loop at once, so a slow handshake never delays the next accept.
        await Task.Yield();
        var peer = socket.RemoteEndPoint?.ToString() ?? "?";
        LinkConnection? connection = null;
        ActiveSession? session = null;
        var handshaking = true;
        try
        {
            Hello hello;
            byte[] proof;
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                handshake.CancelAfter(_options.HandshakeTimeout);
                try
                {
                    Stream stream = new NetworkStream(socket, ownsSocket: false);
                    if (_certificate is not null)
                    {
                        stream = await LinkTls.AuthenticateServerAsync(stream, _certificate, handshake.Token);
                    }

                    connection = new LinkConnection(socket, stream, peer);
                    (hello, proof) = await LinkHandshake.RunServerAsync(connection, _key, handshake.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new LinkException(LinkFailure.Timeout, $"the handshake did not finish within {Configuration.Duration.Format(_options.HandshakeTimeout)}");
                }
            }

            Interlocked.Decrement(ref _pending);
            handshaking = false;
            _throttle.Finished(address, authenticated: true);
            session = await ClaimAsync(hello, connection, ct);

            // Acknowledge-before-welcome: whatever an earlier connection appended is made durable,
            // so the resume point is a durable seq and nothing below it can vanish in a crash.
            await _target.CommitAsync(ct);
            if (_target.NextSeq == 1 && _target.FirstSeq == _target.NextSeq && hello.SourceFirstSeq > 1)
            {
                // A brand-new target joins a source whose oldest records are already retired.
                _target.AdvanceEmptyTo(hello.SourceFirstSeq);
            }

            var resumeAt = _target.NextSeq;
            await connection.SendAsync(LinkMessageType.Welcome, new Welcome(proof, resumeAt).Encode(), ct);
            Update(s => s with { State = LinkState.Connected, Peer = peer, Connections = s.Connections + 1, AckedSeq = resumeAt - 1 });
            LogAccepted(_logger, hello.SourceId, peer, resumeAt, null);
            using var serving = CancellationTokenSource.CreateLinkedTokenSource(ct, session.Replaced.Token);
            await ServeAsync(connection, resumeAt, serving.Token);
        }
        catch (Exception ex) when (Classify(ex, connection, ct) is { } failure)
        {
            Interlocked.Increment(ref _refused);
            var log = true;
            var leftOut = 0;
            if (handshaking)
            {
                // Unauthenticated: the address backs off, and its log lines are rationed.
                handshaking = false;
                Interlocked.Decrement(ref _pending);
                _throttle.Finished(address, authenticated: false);
                log = _throttle.ShouldLog(address, out leftOut);
            }

            if (log)
            {
                LogClosed(_logger, peer, failure.Failure, failure.Message + LeftOut(leftOut), null);
            }

            Update(s => s with { LastError = $"{failure.Failure}: {failure.Message}", LastErrorAt = DateTimeOffset.UtcNow });
            if (connection is not null)
            {
                await connection.CloseAsync(failure.Failure, failure.Message);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (connection is not null)
            {
                await connection.CloseAsync(LinkFailure.Shutdown, "the target is stopping");
            }
        }
        finally
        {
            if (handshaking)
            {
                Interlocked.Decrement(ref _pending);
                _throttle.Abandon(address);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            else
            {
                socket.Dispose();
            }

            if (session is not null)
            {
                lock (_gate)
                {
                    _wireBytesDone += session.Connection.BytesReceived;
                    if (_active == session)
                    {
                        _active = null;
                        _status = _status with { State = LinkState.Connecting, Peer = null };
                    }
                }

                session.Ended.TrySetResult();
                session.Replaced.Dispose();
            }
        }
    }

    /// <summary>
    /// Makes this connection the one feeding the queue. A newer connection from the same source
    /// replaces the old one (its socket may be half-open after a cut); another source, or an older
    /// attempt arriving late, is refused.
    /// </summary>
    private async Task<ActiveSession> ClaimAsync(Hello hello, LinkConnection connection, CancellationToken ct)
    {
        var mine = new ActiveSession(hello.SourceId, hello.Generation, connection);
        ActiveSession? old;
        lock (_gate)
        {
            old = _active;
            if (old is not null && old.SourceId != hello.SourceId)
            {
                throw new LinkException(LinkFailure.Busy, $"the target queue is already fed by source '{old.SourceId}' from {old.Connection.Peer}; a second source '{hello.SourceId}' is refused");
            }

            if (old is not null && hello.Generation <= old.Generation)
            {
                throw new LinkException(LinkFailure.Busy, $"a stale connection attempt from source '{hello.SourceId}' arrived after a newer one; refused");
            }

            _active = mine;
        }

        if (old is not null)
        {
            old.Connection.Abort(new LinkException(LinkFailure.Replaced, $"replaced by a newer connection from source '{hello.SourceId}' at {connection.Peer}"));
            try
            {
                await old.Replaced.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // It ended meanwhile.
            }

            await old.Ended.Task.WaitAsync(ct);
        }

        return mine;
    }

    private async Task ServeAsync(LinkConnection connection, long resumeAt, CancellationToken ct)
    {
        // The source resumes exactly where the Welcome said: any other first seq is a protocol error.
        using var decoder = new FrameDecoder(_options.Frames) { ExpectedFirstSeq = resumeAt, ReuseBuffers = true };
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var appended = new SemaphoreSlim(0);
        var keepAlive = connection.KeepAliveAsync(_options.HeartbeatInterval, _options.HeartbeatTimeout, session.Token);
        var committer = CommitLoopAsync(connection, appended, session.Token);
        var payloads = new List<ReadOnlyMemory<byte>>();
        var maxWire = FrameWireLimit(_options.Frames);
        try
        {
            while (true)
            {
                var (type, body) = await connection.ReceiveAsync(maxWire, session.Token);
                switch (type)
                {
                    case LinkMessageType.Frame:
                        var bytes = new ReadOnlySequence<byte>(body);
                        if (!decoder.TryDecode(ref bytes, out var frame))
                        {
                            throw new LinkException(LinkFailure.Protocol, $"truncated frame: the {body.Length}-byte Frame message ends before its frame does");
                        }

                        if (bytes.Length != 0)
                        {
                            throw new LinkException(LinkFailure.Protocol, $"{bytes.Length} unexpected bytes after the frame in a Frame message");
                        }

                        if (await AppendAsync(frame, payloads, session.Token) && appended.CurrentCount == 0)
                        {
                            appended.Release();
                        }

                        break;
                    case LinkMessageType.Gap:
                        var gap = Gap.Decode(body.Span);
                        await AcceptGapAsync(gap, session.Token);
                        decoder.ExpectedFirstSeq = gap.Last + 1;
                        if (appended.CurrentCount == 0)
                        {
                            appended.Release();
                        }

                        break;
                    case LinkMessageType.Heartbeat:
                        break;
                    case LinkMessageType.Goodbye:
                        LogGoodbye(_logger, connection.Peer, Goodbye.Decode(body.Span).Reason, null);
                        await _target.CommitAsync(ct);
                        return;
                    default:
                        throw new LinkException(LinkFailure.Protocol, $"unexpected {type} message after the handshake");
                }
            }
        }
        finally
        {
            await session.CancelAsync();
            var helpers = Task.WhenAll(keepAlive, Quietly(committer));
            if (await Task.WhenAny(helpers, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)) != helpers)
            {
                // A heartbeat or ack write is stuck on a peer that stopped reading: cut it loose.
                connection.Abort(new LinkException(LinkFailure.Timeout, $"{connection.Peer} stopped reading"));
                await helpers;
            }
        }
    }

    /// <summary>Appends the records the queue does not hold yet; true if any were appended.</summary>
    private async Task<bool> AppendAsync(DecodedFrame frame, List<ReadOnlyMemory<byte>> payloads, CancellationToken ct)
    {
        var next = _target.NextSeq;
        if (frame.FirstSeq > next)
        {
            throw new LinkException(LinkFailure.Protocol, $"gap: a frame starts at seq {frame.FirstSeq} but the target queue needs {next} next");
        }

        // Records below NextSeq are already held (resent after a reconnect): skip, never double.
        var skip = (int)Math.Min(frame.Records.Count, next - frame.FirstSeq);
        if (skip == frame.Records.Count)
        {
            return false;
        }

        payloads.Clear();
        long raw = 0;
        for (var i = skip; i < frame.Records.Count; i++)
        {
            payloads.Add(frame.Records[i].Payload);
            raw += frame.Records[i].Payload.Length;
        }

        var last = await _target.AppendBatchAsync(payloads, ct);
        if (last != frame.LastSeq)
        {
            throw new LinkException(LinkFailure.Protocol, $"the target queue assigned seq {last} to the record the source numbered {frame.LastSeq}; another writer appended to the target queue");
        }

        var count = payloads.Count;
        Update(s => s with { Records = s.Records + count, RawBytes = s.RawBytes + raw, Frames = s.Frames + 1 });
        return true;
    }

    /// <summary>
    /// Passes over seqs the source declared lost, exactly where the queue's next seq is: a gap that
    /// starts anywhere else, runs backwards, or would overflow the numbering is a protocol error,
    /// and a frame that skips seqs without one stays one.
    /// </summary>
    private async Task AcceptGapAsync(Gap gap, CancellationToken ct)
    {
        var next = _target.NextSeq;
        if (gap.First != next || gap.Last < gap.First || gap.Last >= long.MaxValue / 2)
        {
            throw new LinkException(LinkFailure.Protocol, $"a declared gap of seqs {gap.First} to {gap.Last} does not start at the seq the target queue needs next ({next})");
        }

        await _target.CommitAsync(ct);
        GapDeclared?.Invoke(new QueueSeqRange(gap.First, gap.Last));
        await _target.MarkLostAsync(gap.First, gap.Last, ct);
        var range = new QueueSeqRange(gap.First, gap.Last).ToString();
        LogGapAccepted(_logger, range, null);
        Update(s => s with { LostSeqCount = s.LostSeqCount + gap.Last - gap.First + 1 });
    }

    /// <summary>Group commit: one commit covers every frame appended since the last, then one ack names the durable seq.</summary>
    private async Task CommitLoopAsync(LinkConnection connection, SemaphoreSlim appended, CancellationToken ct)
    {
        long acked = 0;
        try
        {
            while (true)
            {
                await appended.WaitAsync(ct);
                var durable = await _target.CommitAsync(ct);
                if (durable > acked)
                {
                    await connection.SendAsync(LinkMessageType.Ack, new Ack(durable).Encode(), ct);
                    acked = durable;
                    Update(s => s with { AckedSeq = durable });
                }
            }
        }
        catch (Exception ex) when (ex is IOException or QueueException or LinkException)
        {
            // Without commits the link cannot progress: end the connection, the source resumes later.
            connection.Abort(ex as LinkException ?? new LinkException(LinkFailure.Shutdown, $"the target queue failed to commit: {ex.Message}", ex));
        }
    }

    /// <summary>The largest Frame message a frame within <paramref name="frames"/>' limits can need, with room for incompressible data and headers.</summary>
    internal static int FrameWireLimit(FrameOptions frames) =>
        (int)Math.Min(int.MaxValue, frames.MaxFrameRawBytes + (frames.MaxFrameRawBytes / 8L) + (frames.MaxRecordsPerFrame * 16L) + 65536);

    /// <summary>What to log and tell the peer for a failed connection; null for a shutdown of this side.</summary>
    private static LinkException? Classify(Exception ex, LinkConnection? connection, CancellationToken ct) => ex switch
    {
        _ when ct.IsCancellationRequested && ex is OperationCanceledException => null,
        _ when connection?.AbortReason is { } reason => reason,
        LinkException link => link,
        FrameException frame => new LinkException(LinkFailure.Protocol, frame.Message, frame),
        QueueException queue => new LinkException(LinkFailure.Shutdown, $"the target queue failed: {queue.Message}", queue),
        IOException io => new LinkException(LinkFailure.Shutdown, $"the target queue failed: {io.Message}", io),
        OperationCanceledException when !ct.IsCancellationRequested => new LinkException(LinkFailure.Timeout, "timed out"),
        _ => null,
    };

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
