using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KafkaSync.Engine.Tsdb.Writing;

/// <summary>
/// The offset marker: one small series per partition in which the connector notes, after each
/// commit, the offset up to which the node holds the topic. Read back when the node returns, it
/// tells whether the node still has what its consumer group says it was given; an empty
/// replacement or an old backup has no marker or an older one.
/// </summary>
internal sealed partial class NodeClient
{
    /// <summary>The marker's measurement (InfluxDB) and metric name prefix (VictoriaMetrics: <c>kafkasync_offsets_offset</c>).</summary>
    public const string MarkerMeasurement = "kafkasync_offsets";

    /// <summary>The measurement of the generation mark (VictoriaMetrics: <c>kafkasync_generation_v</c>).</summary>
    public const string GenerationMeasurement = "kafkasync_generation";

    /// <summary>
    /// Leaves the generation mark <paramref name="generation"/> on the node: written once when the
    /// connector has checked what the node holds, and looked for afterwards. An empty server that
    /// took the node's place while the service ran has every new point and marker, but not this.
    /// </summary>
    public async Task<bool> WriteGenerationAsync(string cluster, string topic, string generation, CancellationToken cancellation)
    {
        var line = $"{GenerationMeasurement},cluster={Escape(cluster)},topic={Escape(topic)},generation={Escape(generation)} v=1i\n";
        var result = await WriteAsync(Encoding.UTF8.GetBytes(line), cancellation);
        return result.Outcome == WriteOutcome.Written;
    }

    /// <summary>True when the node holds the generation mark <paramref name="generation"/>.</summary>
    /// <exception cref="HttpRequestException">The node did not answer.</exception>
    /// <exception cref="InvalidOperationException">The node refused the query.</exception>
    public async Task<bool> HasGenerationAsync(string cluster, string topic, string generation, CancellationToken cancellation)
    {
        if (kind == TsdbNodeKind.InfluxDb)
        {
            var json = await GetAsync("query?db=" + Uri.EscapeDataString(influx.Database) + "&q=" + Uri.EscapeDataString(
                $"SELECT last(\"v\") FROM {Source(GenerationMeasurement)} WHERE \"cluster\" = '{QuoteValue(cluster)}' AND \"topic\" = '{QuoteValue(topic)}' AND \"generation\" = '{QuoteValue(generation)}'"), cancellation);
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.GetProperty("results")[0].TryGetProperty("series", out _);
        }

        var answer = await GetAsync("api/v1/query?nocache=1&query=" + Uri.EscapeDataString(
            $"last_over_time({GenerationMeasurement}_v{{cluster=\"{QuoteLabel(cluster)}\",topic=\"{QuoteLabel(topic)}\",generation=\"{QuoteLabel(generation)}\"}}[400d])"), cancellation);
        using var vm = JsonDocument.Parse(answer);
        return vm.RootElement.GetProperty("data").GetProperty("result").GetArrayLength() > 0;
    }

    /// <summary>Writes the marker for <paramref name="offsets"/>; never throws for node failures.</summary>
    /// <returns>True when the node took it.</returns>
    public async Task<bool> WriteMarkerAsync(string cluster, string topic, IReadOnlyDictionary<int, long> offsets, CancellationToken cancellation)
    {
        if (offsets.Count == 0)
        {
            return true;
        }

        var lines = new StringBuilder();
        foreach (var (partition, offset) in offsets)
        {
            // No timestamp: the node stamps it, so the newest marker is also the last one written.
            lines.Append(CultureInfo.InvariantCulture, $"{MarkerMeasurement},cluster={Escape(cluster)},topic={Escape(topic)},partition={partition} offset={offset}i\n");
        }

        var result = await WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()), cancellation);
        return result.Outcome == WriteOutcome.Written;
    }

    /// <summary>The newest marked offset per partition; empty when the node has no marker.</summary>
    /// <exception cref="HttpRequestException">The node did not answer.</exception>
    /// <exception cref="InvalidOperationException">The node refused the query.</exception>
    public async Task<Dictionary<int, long>> ReadMarkerAsync(string cluster, string topic, CancellationToken cancellation)
    {
        var json = kind == TsdbNodeKind.InfluxDb
            ? await GetAsync("query?db=" + Uri.EscapeDataString(influx.Database) + "&q=" + Uri.EscapeDataString(
                $"SELECT last(\"offset\") FROM {MarkerSource()} WHERE \"cluster\" = '{QuoteValue(cluster)}' AND \"topic\" = '{QuoteValue(topic)}' GROUP BY \"partition\""), cancellation)
            // nocache: VictoriaMetrics otherwise hides the last 30 s from instant queries.
            : await GetAsync("api/v1/query?nocache=1&query=" + Uri.EscapeDataString(
                $"last_over_time({MarkerMeasurement}_offset{{cluster=\"{QuoteLabel(cluster)}\",topic=\"{QuoteLabel(topic)}\"}}[400d])"), cancellation);
        using var doc = JsonDocument.Parse(json);
        var marks = new Dictionary<int, long>();
        if (kind == TsdbNodeKind.InfluxDb)
        {
            var result = doc.RootElement.GetProperty("results")[0];
            if (result.TryGetProperty("error", out var error))
            {
                // The database itself may be gone: that is no marker, not a failure.
                return error.GetString()?.Contains("database not found", StringComparison.OrdinalIgnoreCase) == true
                    ? marks
                    : throw new InvalidOperationException("the node refused the marker query: " + error.GetString());
            }

            if (result.TryGetProperty("series", out var series))
            {
                foreach (var s in series.EnumerateArray())
                {
                    var partition = int.Parse(s.GetProperty("tags").GetProperty("partition").GetString()!, CultureInfo.InvariantCulture);
                    marks[partition] = (long)s.GetProperty("values")[0][1].GetDouble();
                }
            }
        }
        else
        {
            foreach (var s in doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
            {
                var partition = int.Parse(s.GetProperty("metric").GetProperty("partition").GetString()!, CultureInfo.InvariantCulture);
                marks[partition] = (long)double.Parse(s.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            }
        }

        return marks;
    }

    private string MarkerSource() => Source(MarkerMeasurement);

    private string Source(string measurement) =>
        string.IsNullOrEmpty(influx.RetentionPolicy)
            ? Quote(measurement)
            : $"{Quote(influx.Database)}.{Quote(influx.RetentionPolicy)}.{Quote(measurement)}";

    private async Task<string> GetAsync(string relative, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(WithSlash(BaseUrl), relative));
        request.Headers.Authorization = auth;
        using var response = await http.SendAsync(request, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode && !body.Contains("database not found", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"the node refused the marker query: HTTP {(int)response.StatusCode} {body.Trim()}");
        }

        return body.Contains("database not found", StringComparison.OrdinalIgnoreCase) ? "{\"results\":[{}]}" : body;
    }

    private static string Escape(string tag) =>
        tag.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("=", "\\=", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal);

    private static string QuoteValue(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);

    private static string QuoteLabel(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
