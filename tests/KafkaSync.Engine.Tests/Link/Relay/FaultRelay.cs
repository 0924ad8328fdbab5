using System.Net;
using System.Net.Sockets;

namespace KafkaSync.Engine.Tests.Link.Relay;

/// <summary>
/// A TCP relay between a link source and its target that injects network faults on demand:
/// cut every connection (or only the source's half, leaving the target a half-open socket),
/// refuse or accept-and-drop new connections, stall or slow the bytes, cut after N more bytes
/// (mid-frame), and hold a new connection's first bytes back so that reconnects arrive out of order.
/// </summary>
internal sealed class FaultRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RelayPipe> _pipes = [];
    private readonly object _gate = new();
    private readonly Task _acceptLoop;
    private volatile TaskCompletionSource _flowing = NewOpenGate();
    private long _cutAfterBytes = -1;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FaultRelay(IPEndPoint upstream)
    {
        _upstream = upstream;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Incoming connections are accepted and closed at once (the network is "down").</summary>
    public bool DropNewConnections { get; set; }

    /// <summary>Bytes per second in each direction of each connection; 0 for unlimited.</summary>
    public long BytesPerSecond { get; set; }

    /// <summary>
    /// Holds back the next new connection's upstream bytes past the first <see cref="HoldAfterBytes"/>
    /// until <see cref="ReleaseHeld"/>, letting a later reconnect overtake it.
    /// </summary>
    public bool HoldNextConnection { get; set; }

    /// <summary>How many bytes of the held connection pass before the hold starts.</summary>
    public long HoldAfterBytes { get; set; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>Bytes forwarded from source to target over all connections.</summary>
    public long ForwardedUpstream => Interlocked.Read(ref _forwardedUpstream);

    private long _forwardedUpstream;

    /// <summary>Closes every open connection on both sides.</summary>
    public void CutAll()
    {
        foreach (var pipe in Snapshot())
        {
            pipe.Close(bothSides: true);
        }
    }

    /// <summary>Closes only the source-facing sockets; the target's sockets stay open and silent, as after a crash of a middlebox.</summary>
    public void CutSourceSideOnly()
    {
        foreach (var pipe in Snapshot())
        {
            pipe.Close(bothSides: false);
        }
    }

    /// <summary>Forwards <paramref name="bytes"/> more bytes from the source, then cuts everything: a cut in the middle of a frame.</summary>
    public void CutAfterUpstreamBytes(long bytes) => Interlocked.Exchange(ref _cutAfterBytes, bytes);

    /// <summary>Stops forwarding in both directions; sockets stay open.</summary>
    public void Stall()
    {
        if (_flowing.Task.IsCompleted)
        {
            _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets the held connection's bytes through.</summary>
    public void ReleaseHeld() => _released.TrySetResult();

    internal Task WaitReleasedAsync(CancellationToken ct) => _released.Task.WaitAsync(ct);

    /// <summary>Forwards again after <see cref="Stall"/>.</summary>
    public void Resume() => _flowing.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Resume();
        ReleaseHeld();
        CutAll();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    internal Task WaitFlowingAsync(CancellationToken ct) => _flowing.Task.WaitAsync(ct);

    /// <summary>Counts forwarded source bytes; returns how many of <paramref name="count"/> may pass before a pending mid-stream cut.</summary>
    internal int AllowUpstream(int count)
    {
        while (true)
        {
            var budget = Interlocked.Read(ref _cutAfterBytes);
            if (budget < 0)
            {
                Interlocked.Add(ref _forwardedUpstream, count);
                return count;
            }

            var allowed = (int)Math.Min(budget, count);
            if (Interlocked.CompareExchange(ref _cutAfterBytes, budget - allowed, budget) == budget)
            {
                Interlocked.Add(ref _forwardedUpstream, allowed);
                return allowed;
            }
        }
    }

    internal void CutIfBudgetSpent()
    {
        if (Interlocked.Read(ref _cutAfterBytes) == 0)
        {
            Interlocked.Exchange(ref _cutAfterBytes, -1);
            CutAll();
        }
    }

    private static TaskCompletionSource NewOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private RelayPipe[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _pipes];
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Accepted++;
            if (DropNewConnections)
            {
                client.Dispose();
                continue;
            }

            var hold = HoldNextConnection;
            HoldNextConnection = false;
            _ = RunPipeAsync(client, hold, HoldAfterBytes);
        }
    }

    private async Task RunPipeAsync(Socket client, bool hold, long holdAfter)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        var pipe = new RelayPipe(this, client, server, hold, holdAfter);
        lock (_gate)
        {
            _pipes.Add(pipe);
        }

        try
        {
            await server.ConnectAsync(_upstream, _stop.Token);
            await pipe.RunAsync(_stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            // A half-open pipe keeps its target socket open (and listed, so disposal closes it).
            if (!pipe.HalfOpen)
            {
                pipe.Close(bothSides: true);
                lock (_gate)
                {
                    _pipes.Remove(pipe);
                }
            }
        }
    }
}
