using System.Diagnostics;
using System.Net.Sockets;

namespace KafkaSync.Engine.Tests.Link.Relay;

/// <summary>One relayed connection: two pumps, each honouring the relay's stall, rate, hold and cut settings.</summary>
internal sealed class RelayPipe
{
    private readonly FaultRelay _relay;
    private readonly Socket _client;
    private readonly Socket _server;
    private readonly bool _hold;
    private readonly long _holdAfter;
    private int _closed;

    public RelayPipe(FaultRelay relay, Socket client, Socket server, bool hold, long holdAfter)
    {
        _relay = relay;
        _client = client;
        _server = server;
        _hold = hold;
        _holdAfter = holdAfter;
    }

    /// <summary>Only the source side was cut: the target side stays open and silent.</summary>
    public bool HalfOpen { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        var up = PumpAsync(_client, _server, upstream: true, ct);
        var down = PumpAsync(_server, _client, upstream: false, ct);
        await Task.WhenAll(up, down);
    }

    public void Close(bool bothSides)
    {
        if (bothSides)
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0)
            {
                return;
            }

            Kill(_server);
        }
        else
        {
            HalfOpen = true;
        }

        Kill(_client);
    }

    private static void Kill(Socket socket)
    {
        try
        {
            // Linger 0 sends a reset, as a failing network path would, rather than an orderly close.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    private async Task PumpAsync(Socket from, Socket to, bool upstream, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var clock = Stopwatch.StartNew();
        long moved = 0;
        var held = !_hold;
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (n == 0)
                {
                    // Pass an orderly close on as one, so bytes already relayed are still read.
                    if (!HalfOpen)
                    {
                        to.Shutdown(SocketShutdown.Send);
                    }

                    return;
                }

                await _relay.WaitFlowingAsync(ct);
                var allowed = upstream ? _relay.AllowUpstream(n) : n;
                var offset = 0;
                while (offset < allowed)
                {
                    var rate = _relay.BytesPerSecond;
                    var chunk = rate > 0 ? (int)Math.Min(allowed - offset, Math.Max(1, rate / 50)) : allowed - offset;
                    if (upstream && !held)
                    {
                        var before = _holdAfter - moved;
                        if (before <= 0)
                        {
                            held = true;
                            await _relay.WaitReleasedAsync(ct);
                        }
                        else
                        {
                            chunk = (int)Math.Min(chunk, before);
                        }
                    }

                    await to.SendAsync(buffer.AsMemory(offset, chunk), SocketFlags.None, ct);
                    offset += chunk;
                    moved += chunk;
                    if (rate > 0)
                    {
                        var due = TimeSpan.FromSeconds((double)moved / rate) - clock.Elapsed;
                        if (due > TimeSpan.Zero)
                        {
                            await Task.Delay(due, ct);
                        }
                    }
                }

                if (upstream)
                {
                    _relay.CutIfBudgetSpent();
                    if (allowed < n)
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One direction failed: end the other too, unless the target side is meant to stay half-open.
            if (!HalfOpen)
            {
                Close(bothSides: true);
            }
        }
    }
}
