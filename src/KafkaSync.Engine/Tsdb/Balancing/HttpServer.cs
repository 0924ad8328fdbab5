using System.Net;
using System.Net.Sockets;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>
/// A small HTTP/1.1 server on sockets for the balancer and the status endpoint. The engine runs
/// inside pwsh, which has no ASP.NET Core; HttpListener was tried and added ~40 ms to relayed
/// answers (its sockets keep Nagle's algorithm on, so the last piece of a streamed answer waits
/// for the client's delayed ACK). Here every socket has TCP_NODELAY set and keeps alive.
/// </summary>
internal sealed class HttpServer : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly Func<HttpExchange, CancellationToken, Task> handler;
    private readonly CancellationTokenSource stop = new();
    private readonly Task acceptLoop;

    private HttpServer(Socket listener, Func<HttpExchange, CancellationToken, Task> handler)
    {
        this.listener = listener;
        this.handler = handler;
        var local = (IPEndPoint)listener.LocalEndPoint!;
        Url = new Uri($"http://{(local.Address.Equals(IPAddress.Any) ? "127.0.0.1" : local.Address.ToString())}:{local.Port}/");
        acceptLoop = Task.Run(AcceptAsync);
    }

    /// <summary>The base URL it listens on.</summary>
    public Uri Url { get; }

    /// <summary>Starts listening on <paramref name="endpoint"/> (<c>host:port</c>; port 0 picks a free port).</summary>
    public static HttpServer Start(string field, string endpoint, Func<HttpExchange, CancellationToken, Task> handler)
    {
        var prefix = TsdbClusterOptions.ListenPrefix(field, endpoint)
            ?? throw new OptionsException(field, "is empty; give host:port to listen on.");
        var url = new Uri(prefix);
        IPAddress address;
        if (url.Host is "*" or "+" or "0.0.0.0")
        {
            address = IPAddress.Any;
        }
        else if (!IPAddress.TryParse(url.Host.Trim('[', ']'), out address!))
        {
            address = Dns.GetHostAddresses(url.Host).FirstOrDefault()
                ?? throw new OptionsException(field, $"the host '{url.Host}' does not resolve.");
        }

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, url.Port));
            socket.Listen(512);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new InvalidOperationException($"cannot listen on {endpoint} ({field}): {ex.Message}", ex);
        }

        return new HttpServer(socket, handler);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose();
        await acceptLoop;
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            client.NoDelay = true;
            _ = Task.Run(() => ServeConnectionAsync(client));
        }
    }

    private async Task ServeConnectionAsync(Socket client)
    {
        using var stream = new NetworkStream(client, ownsSocket: true);
        var reader = new HttpRequestReader(stream);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var exchange = await reader.ReadAsync(stop.Token);
                if (exchange == null)
                {
                    return;
                }

                await ServeAsync(exchange);
                if (!exchange.KeepAlive || !await exchange.FinishAsync(stop.Token))
                {
                    return;
                }
            }
        }
        catch (InvalidDataException ex)
        {
            // Garbage on the socket: say why and close.
            await TryAsync(() => HttpExchange.WriteErrorAsync(stream, 400, ex.Message, stop.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or we are stopping.
        }
    }

    private async Task ServeAsync(HttpExchange exchange)
    {
        try
        {
            await handler(exchange, stop.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            exchange.KeepAlive = false;
        }
#pragma warning disable CA1031 // A bug in one request must not take the server down; the client gets a 500 with the reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            exchange.KeepAlive = false;
            if (!exchange.ResponseStarted)
            {
                await TryAsync(() => exchange.RespondTextAsync(500, "internal error: " + ex.Message, stop.Token));
            }
        }
    }

    private static async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
