using System.Globalization;
using System.Text.Json;

namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>Counts the points of one measurement on one node by querying it directly (not through the balancer).</summary>
public static class PointCounter
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<long> CountAsync(TsdbServer server, string database, string measurement, CancellationToken cancellation)
    {
        try
        {
            return server.IsInflux
                ? await CountInfluxAsync(server.Url, database, measurement, cancellation)
                : await CountVictoriaAsync(server.Url, measurement, cancellation);
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    public static async Task<long> CountInfluxAsync(Uri url, string database, string measurement, CancellationToken cancellation)
    {
        var query = Uri.EscapeDataString($"SELECT count(v) FROM \"{measurement}\"");
        var json = await Http.GetStringAsync(new Uri(url, $"query?db={database}&q={query}"), cancellation);
        using var doc = JsonDocument.Parse(json);
        var result = doc.RootElement.GetProperty("results")[0];
        if (!result.TryGetProperty("series", out var series))
        {
            return 0;
        }

        return series[0].GetProperty("values")[0][1].GetInt64();
    }

    public static async Task<long> CountVictoriaAsync(Uri url, string measurement, CancellationToken cancellation)
    {
        var query = Uri.EscapeDataString($"sum(count_over_time({measurement}_v[2h]))");
        var json = await Http.GetStringAsync(new Uri(url, $"api/v1/query?query={query}"), cancellation);
        using var doc = JsonDocument.Parse(json);
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? 0 : long.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }
}
