using System.Net;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>Relaying one query: request out, status, headers and body back as a stream.</summary>
internal sealed partial class ReadBalancer
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Host", "Content-Length",
    };

    private async Task ForwardAsync(HttpListenerContext context, TsdbNodeStatus node, CancellationToken cancellation)
    {
        var incoming = context.Request;
        var target = new Uri(new Uri(node.Url), incoming.Url!.PathAndQuery);
        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), target);
        if (incoming.HasEntityBody)
        {
            request.Content = new StreamContent(incoming.InputStream);
        }

        foreach (var name in incoming.Headers.AllKeys)
        {
            if (name == null || HopByHop.Contains(name))
            {
                continue;
            }

            var values = incoming.Headers.GetValues(name) ?? [];
            if (!request.Headers.TryAddWithoutValidation(name, values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            await Respond.TextAsync(context.Response, 502, $"node {node.Name} did not answer the query: {ex.Message}");
            return;
        }

        using (response)
        {
            var outgoing = context.Response;
            outgoing.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    foreach (var value in header.Value)
                    {
                        outgoing.AppendHeader(header.Key, value);
                    }
                }
            }

            outgoing.AppendHeader(NodeHeader, node.Name);
            if (response.Content.Headers.ContentLength is { } length)
            {
                outgoing.ContentLength64 = length;
            }
            else
            {
                outgoing.SendChunked = true;
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellation);
            await body.CopyToAsync(outgoing.OutputStream, cancellation);
        }
    }
}
