using System.Globalization;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Metrics;

/// <summary>
/// The <c>metrics</c> section of an agent or time-series cluster config: where to serve Prometheus
/// metrics. Off unless <see cref="Listen"/> is set (see docs/metrics.md for every metric).
/// </summary>
public sealed record MetricsOptions
{
    /// <summary>
    /// Address and port of the <c>/metrics</c> endpoint, <c>host:port</c> (e.g. <c>0.0.0.0:9464</c>;
    /// port 0 picks a free one). Null or empty: no endpoint. Default: none.
    /// </summary>
    public string? Listen { get; init; }

    /// <summary>Whether an endpoint is configured.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Enabled => !string.IsNullOrWhiteSpace(Listen);

    /// <summary>Checks the settings; <paramref name="prefix"/> is the section's name in the config (usually "metrics").</summary>
    /// <exception cref="OptionsException">The listen address is not host:port.</exception>
    public void Validate(string prefix)
    {
        if (!Enabled)
        {
            return;
        }

        var text = Listen!.Trim();
        var colon = text.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > 65535
            || text.AsSpan(0, colon).Trim('[').Trim(']').IsWhiteSpace())
        {
            throw new OptionsException($"{prefix}.listen", $"'{Listen}' is not host:port; write e.g. 0.0.0.0:9464 (all interfaces), 127.0.0.1:9464, or port 0 for a free one, or leave it out to serve no metrics.");
        }
    }
}
