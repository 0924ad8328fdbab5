using System.Net;
using System.Net.Sockets;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>
/// A small HTTP server on System.Net.HttpListener (the engine runs inside pwsh, which has no
/// ASP.NET Core). Each request runs on its own task; a failing handler answers 500.
/// </summary>
internal sealed class HttpEndpoint : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<HttpListenerContext, CancellationToken, Task> handler;
    private readonly CancellationTokenSource stop = new();
    private readonly Task acceptLoop;

    private HttpEndpoint(string prefix, Func<HttpListenerContext, CancellationToken, Task> handler)
    {
        this.handler = handler;
        listener.Prefixes.Add(prefix);
        listener.IgnoreWriteExceptions = true;
        listener.Start();
        Url = new Uri(prefix);
        acceptLoop = Task.Run(AcceptAsync);
    }

    /// <summary>The base URL it listens on.</summary>
    public Uri Url { get; }

    /// <summary>Starts listening on <paramref name="endpoint"/> (<c>host:port</c>; port 0 picks a free port).</summary>
    public static HttpEndpoint Start(string field, string endpoint, Func<HttpListenerContext, CancellationToken, Task> handler)
    {
        var prefix = TsdbClusterOptions.ListenPrefix(field, endpoint)
            ?? throw new OptionsException(field, "is empty; give host:port to listen on.");
        var url = new Uri(prefix);
        if (url.Port == 0)
        {
            prefix = $"http://{url.Host}:{FreePort(url.Host)}/";
        }

        try
        {
            return new HttpEndpoint(prefix, handler);
        }
        catch (HttpListenerException ex)
        {
            throw new InvalidOperationException($"cannot listen on {prefix} ({field}): {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await acceptLoop;
        }
        catch (ObjectDisposedException)
        {
        }

        listener.Close();
        stop.Dispose();
    }

    private static int FreePort(string host)
    {
        var address = IPAddress.TryParse(host, out var ip) ? ip : IPAddress.Loopback;
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        try
        {
            await handler(context, stop.Token);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or we are stopping: nothing left to answer.
        }
#pragma warning disable CA1031 // A bug in one request must not take the server down; the client gets a 500 with the reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            try
            {
                await Respond.TextAsync(context.Response, 500, "internal error: " + ex.Message);
            }
            catch (Exception inner) when (inner is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
        finally
        {
            try
            {
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }
}
