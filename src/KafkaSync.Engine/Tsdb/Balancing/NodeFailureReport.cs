using System.Text;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>
/// <c>POST /nodes/{name}/failure</c> on the status endpoint: how a balancer in another process
/// tells the monitor that a node refused a query, so the node leaves the list before the next
/// health check. The body is the reason, as plain text.
/// </summary>
internal static class NodeFailureReport
{
    private const string Prefix = "/nodes/";
    private const string Suffix = "/failure";
    private const int MaxReason = 4096;

    /// <summary>The path reporting <paramref name="node"/>.</summary>
    public static string PathOf(string node) => Prefix + Uri.EscapeDataString(node) + Suffix;

    /// <summary>The node a report path names, or null when the path is no report.</summary>
    public static string? Parse(string path)
    {
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !path.EndsWith(Suffix, StringComparison.Ordinal) || path.Length <= Prefix.Length + Suffix.Length)
        {
            return null;
        }

        return Uri.UnescapeDataString(path[Prefix.Length..^Suffix.Length]);
    }

    /// <summary>The reason in the body, cut to a sane length.</summary>
    public static async Task<string> ReadReasonAsync(HttpExchange exchange, CancellationToken cancellation)
    {
        var length = (int)Math.Min(exchange.BodyLength, MaxReason);
        var body = new byte[length];
        await exchange.Body.ReadExactlyAsync(body, cancellation);
        var reason = Encoding.UTF8.GetString(body).Trim();
        return reason.Length == 0 ? "a balancer could not reach it" : reason;
    }
}
