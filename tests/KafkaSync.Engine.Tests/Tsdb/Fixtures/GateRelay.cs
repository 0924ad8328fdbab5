using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>
/// A TCP relay in front of a real node that holds any request containing <see cref="HoldMarker"/>
/// until <see cref="Release"/>: a way to keep a query in flight on one node for as long as a test needs.
/// </summary>
public sealed class GateRelay : IDisposable
{
    public const string HoldMarker = "hold=1";

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int targetPort;
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private int held;

    public GateRelay(int targetPort)
    {
        this.targetPort = targetPort;
        listener.Start();
        _ = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    public int Held => Volatile.Read(ref held);

    public void Release() => gate.TrySetResult();

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
                var up = PumpAsync(client.GetStream(), server.GetStream(), hold: true);
                var down = PumpAsync(server.GetStream(), client.GetStream(), hold: false);
                await Task.WhenAny(up, down);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool hold)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await from.ReadAsync(buffer, stop.Token);
            if (n == 0)
            {
                return;
            }

            if (hold && Encoding.ASCII.GetString(buffer, 0, n).Contains(HoldMarker, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref held);
                await gate.Task.WaitAsync(stop.Token);
                Interlocked.Decrement(ref held);
            }

            await to.WriteAsync(buffer.AsMemory(0, n), stop.Token);
        }
    }
}
