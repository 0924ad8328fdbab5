using System.Net.Http.Headers;

namespace KafkaSync.Engine.Tests.Metrics;

/// <summary>Scrapes an endpoint over a real socket as Prometheus would, and checks the naming conventions on what it got.</summary>
internal static class Scrape
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<PrometheusText> GetAsync(Uri url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        using var response = await Http.SendAsync(request, ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var text = PrometheusText.Parse(await response.Content.ReadAsStringAsync(ct));
        CheckConventions(text);
        return text;
    }

    /// <summary>
    /// Prometheus naming: every family documented, counters end in _total, no milliseconds or
    /// kilobytes (base units only), histograms are in seconds, and every KafkaSync family carries
    /// the agent's or cluster's labels.
    /// </summary>
    public static void CheckConventions(PrometheusText text)
    {
        foreach (var (name, type) in text.Types)
        {
            Assert.True(text.Help.TryGetValue(name, out var help) && help.Length > 10, $"{name} has no HELP text");
            if (!name.StartsWith("kafkasync_", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.False(name.Contains("_ms", StringComparison.Ordinal) || name.Contains("milli", StringComparison.Ordinal) || name.Contains("kb", StringComparison.Ordinal), $"{name} is not in base units");
            Assert.True(type != "counter" || name.EndsWith("_total", StringComparison.Ordinal), $"counter {name} does not end in _total");
            Assert.True(type == "counter" || !name.EndsWith("_total", StringComparison.Ordinal), $"{type} {name} ends in _total");
            Assert.True(type != "histogram" || name.EndsWith("_seconds", StringComparison.Ordinal), $"histogram {name} is not in seconds");
        }

        foreach (var sample in text.Samples.Where(s => s.Name.StartsWith("kafkasync_", StringComparison.Ordinal)))
        {
            Assert.True(sample.Labels.ContainsKey("agent") || sample.Labels.ContainsKey("cluster"), $"{sample.Name} carries neither an agent nor a cluster label");
        }
    }

    /// <summary>
    /// Scrapes until <paramref name="condition"/> holds on a scrape, or fails after <paramref name="timeout"/>
    /// naming <paramref name="what"/> and the last values of the series named in <paramref name="show"/>.
    /// </summary>
    public static async Task<PrometheusText> UntilAsync(Uri url, Func<PrometheusText, bool> condition, TimeSpan timeout, string what, CancellationToken ct, params string[] show)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var text = await GetAsync(url, ct);
            if (condition(text))
            {
                return text;
            }

            if (DateTime.UtcNow > deadline)
            {
                var last = text.Samples.Where(x => show.Contains(x.Name)).Select(x => $"{x.Name}{{{string.Join(",", x.Labels.Where(l => l.Key is not ("agent" or "role" or "cluster")).Select(l => $"{l.Key}={l.Value}"))}}} {x.Value}");
                throw new TimeoutException($"timed out after {timeout.TotalSeconds}s waiting until {what}; last scrape: {string.Join("; ", last)}");
            }

            await Task.Delay(100, ct);
        }
    }
}
