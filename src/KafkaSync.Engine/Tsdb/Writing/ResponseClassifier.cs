namespace KafkaSync.Engine.Tsdb.Writing;

/// <summary>
/// Sorts node answers into retry-later and never-retry. A permanent answer must not be retried
/// (it would loop for ever) and a transient one must not be dead-lettered (the node will take the
/// points once it is back), so each rule here is documented in the user docs' table.
/// </summary>
internal static class ResponseClassifier
{
    public static WriteResult Classify(int status, string body)
    {
        var reason = $"HTTP {status}: {Shorten(body)}";
        if (status is >= 200 and < 300)
        {
            return WriteResult.Ok;
        }

        if (status == 500 && body.Contains("retention policy not found", StringComparison.OrdinalIgnoreCase))
        {
            return new WriteResult(WriteOutcome.Permanent, status, reason);
        }

        if (status == 404)
        {
            // The connector creates the database before it writes, so a node without it lost it
            // (an empty replacement): an outage, after which the database is created again and
            // the node refilled, never a reason to dead-letter. Any other 404 means the URL is not
            // a time-series node at all, which is a node failure the operator must see.
            return body.Contains("database not found", StringComparison.OrdinalIgnoreCase)
                ? new WriteResult(WriteOutcome.Transient, status, reason + " (the node lost its database)")
                : new WriteResult(WriteOutcome.Transient, status, reason + " (is the node URL right?)");
        }

        if (status is 401 or 403)
        {
            return new WriteResult(WriteOutcome.Transient, status, reason + " (check influx.username and the password)");
        }

        if (status is 408 or 429 || status >= 500)
        {
            return new WriteResult(WriteOutcome.Transient, status, reason);
        }

        return new WriteResult(WriteOutcome.Permanent, status, reason);
    }

    private static string Shorten(string body)
    {
        body = body.Trim();
        return body.Length > 300 ? body[..300] + "…" : body;
    }
}
