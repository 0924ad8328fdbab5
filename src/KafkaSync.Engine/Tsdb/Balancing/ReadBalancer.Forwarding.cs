namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>Relaying one query: request out, status, headers and body back as a stream.</summary>
internal sealed partial class ReadBalancer
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Host", "Content-Length",
    };

    private async Task ForwardAsync(HttpExchange exchange, TsdbNodeStatus node, CancellationToken cancellation)
    {
        var target = new Uri(new Uri(node.Url), exchange.Target);
        using var request = new HttpRequestMessage(new HttpMethod(exchange.Method), target);
        if (exchange.BodyLength > 0)
        {
            request.Content = new StreamContent(exchange.Body);
        }

        foreach (var (name, value) in exchange.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            await exchange.RespondTextAsync(502, $"node {node.Name} did not answer the query: {ex.Message}", cancellation);
            return;
        }

        using (response)
        {
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    headers.AddRange(header.Value.Select(v => new KeyValuePair<string, string>(header.Key, v)));
                }
            }

            headers.Add(new(NodeHeader, node.Name));
            await using var body = await response.Content.ReadAsStreamAsync(cancellation);
            await exchange.RespondStreamAsync((int)response.StatusCode, headers, response.Content.Headers.ContentLength, to => body.CopyToAsync(to, cancellation), cancellation);
        }
    }
}
