namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>Relaying one query: request out, status, headers and body back as a stream.</summary>
internal sealed partial class ReadBalancer
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Host", "Content-Length",
    };

    /// <summary>
    /// Sends the query to <paramref name="node"/> and relays its answer. Returns null once an
    /// answer (any status) was relayed, or why the node could not be reached; nothing was sent
    /// to the client then, so the caller may try another node.
    /// </summary>
    /// <param name="exchange">The client's request and its answer.</param>
    /// <param name="node">The chosen node.</param>
    /// <param name="body">The request body when it was read ahead (to be sent again elsewhere on failure); null streams it from the client.</param>
    /// <param name="cancellation">Stops the balancer.</param>
    private async Task<string?> ForwardAsync(HttpExchange exchange, TsdbNodeStatus node, byte[]? body, CancellationToken cancellation)
    {
        var target = new Uri(new Uri(node.Url), exchange.Target);
        using var request = new HttpRequestMessage(new HttpMethod(exchange.Method), target);
        if (body != null)
        {
            request.Content = new ByteArrayContent(body);
        }
        else if (exchange.BodyLength > 0)
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
        catch (HttpRequestException ex)
        {
            // Refused, reset or closed before an answer: the node is gone, not merely slow.
            return ex.Message;
        }
        catch (TaskCanceledException ex) when (!cancellation.IsCancellationRequested)
        {
            // A slow query is no sign of a dead node (its health check tells), and sending it to
            // another node would only double the load it causes.
            await exchange.RespondTextAsync(504, $"node {node.Name} did not answer the query within {Configuration.Duration.Format(options.Balancer.QueryTimeout)}: {ex.Message}", cancellation);
            return null;
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
            await using var answer = await response.Content.ReadAsStreamAsync(cancellation);
            await exchange.RespondStreamAsync((int)response.StatusCode, headers, response.Content.Headers.ContentLength, to => answer.CopyToAsync(to, cancellation), cancellation);
        }

        return null;
    }
}
