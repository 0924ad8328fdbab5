using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>
/// A TCP relay that holds the bytes of one direction for a fixed time before passing them on: the
/// round-trip latency of a long link, which the kernel here cannot add (no netem). Each side of
/// the emulated link runs one relay per connection path; each delays only what came across the
/// capped link, so the bytes it holds are those the link already carried (at most rate × delay),
/// and a slow reader still pushes back on the sender through TCP.
/// </summary>
public sealed class DelayRelay : IAsyncDisposable
{
    // Chunks held per direction; with 64 KiB reads this bounds a direction at 16 MiB, far above
    // rate × delay for any link the benchmark emulates, so it only matters when the reader stalls.
    private const int MaxHeldChunks = 256;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly TimeSpan _toUpstream;
    private readonly TimeSpan _toClient;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <summary>Listens on <paramref name="listen"/> and relays each connection to <paramref name="upstream"/>.</summary>
    /// <param name="listen">Where clients connect.</param>
    /// <param name="upstream">Where each connection is relayed.</param>
    /// <param name="toUpstream">How long bytes from the client are held before they go upstream.</param>
    /// <param name="toClient">How long bytes from upstream are held before they go to the client.</param>
    public DelayRelay(IPEndPoint listen, IPEndPoint upstream, TimeSpan toUpstream, TimeSpan toClient)
    {
        _upstream = upstream;
        _toUpstream = toUpstream;
        _toClient = toClient;
        _listener = new TcpListener(listen);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(128);
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(Socket client)
    {
        using var upstream = new Socket(_upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var _ = client;
        client.NoDelay = true;
        try
        {
            await upstream.ConnectAsync(_upstream, _stop.Token);
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = CopyAsync(client, upstream, _toUpstream, connection.Token);
            var down = CopyAsync(upstream, client, _toClient, connection.Token);
            await Task.WhenAny(up, down);
            await connection.CancelAsync();
            await Task.WhenAll(up, down);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone or the relay stops: both sockets close below.
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, TimeSpan delay, CancellationToken ct)
    {
        try
        {
            if (delay <= TimeSpan.Zero)
            {
                var buffer = new byte[64 << 10];
                int read;
                while ((read = await from.ReceiveAsync(buffer, ct)) > 0)
                {
                    await SendAllAsync(to, buffer.AsMemory(0, read), ct);
                }

                return;
            }

            var held = Channel.CreateBounded<(long Due, byte[] Bytes, int Length)>(new BoundedChannelOptions(MaxHeldChunks) { SingleReader = true, SingleWriter = true });
            var writer = WriteDueAsync(held.Reader, to, ct);
            try
            {
                var ticks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
                while (true)
                {
                    var buffer = new byte[64 << 10];
                    var read = await from.ReceiveAsync(buffer, ct);
                    if (read == 0)
                    {
                        break;
                    }

                    await held.Writer.WriteAsync((Stopwatch.GetTimestamp() + ticks, buffer, read), ct);
                }
            }
            finally
            {
                held.Writer.TryComplete();
                await writer;
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Connection ended.
        }
        finally
        {
            try
            {
                to.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task WriteDueAsync(ChannelReader<(long Due, byte[] Bytes, int Length)> held, Socket to, CancellationToken ct)
    {
        try
        {
            await foreach (var (due, bytes, length) in held.ReadAllAsync(ct))
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }

                await SendAllAsync(to, bytes.AsMemory(0, length), ct);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Connection ended.
        }
    }

    private static async Task SendAllAsync(Socket to, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await to.SendAsync(bytes, ct);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Stops listening and closes every relayed connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
