using System.Text.RegularExpressions;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Tsdb;

/// <summary>Validation: every error names the field as spelled in the JSON config.</summary>
public sealed partial record TsdbClusterOptions
{
    private static readonly string[] Precisions = ["ns", "u", "ms", "s", "m", "h"];

    /// <summary>Checks every setting.</summary>
    /// <exception cref="OptionsException">A setting is wrong; the message names it and the allowed values.</exception>
    public TsdbClusterOptions Validate()
    {
        CheckName("name", Name);
        if (Nodes.Count == 0)
        {
            throw new OptionsException("nodes", "list at least one node, e.g. { \"name\": \"a\", \"url\": \"http://127.0.0.1:8086\" }.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Nodes.Count; i++)
        {
            var node = Nodes[i];
            CheckName($"nodes[{i}].name", node.Name);
            if (!seen.Add(node.Name))
            {
                throw new OptionsException($"nodes[{i}].name", $"'{node.Name}' is used by two nodes; node names must be unique.");
            }

            if (!Uri.TryCreate(node.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new OptionsException($"nodes[{i}].url", $"'{node.Url}' is not an http(s) URL; write e.g. http://10.0.0.5:8086.");
            }

            if (!(node.Weight > 0 && node.Weight <= 1000))
            {
                throw new OptionsException($"nodes[{i}].weight", $"{node.Weight} is out of range; use a number above 0 and at most 1000.");
            }
        }

        if (string.IsNullOrWhiteSpace(Kafka.BootstrapServers))
        {
            throw new OptionsException("kafka.bootstrapServers", "is empty; write e.g. broker1:9092,broker2:9092.");
        }

        if (string.IsNullOrWhiteSpace(Kafka.Topic))
        {
            throw new OptionsException("kafka.topic", "is empty; name the topic that carries the line protocol.");
        }

        if (Kind == TsdbNodeKind.InfluxDb && string.IsNullOrWhiteSpace(Influx.Database))
        {
            throw new OptionsException("influx.database", "is empty; an InfluxDB cluster needs a database name.");
        }

        if (Array.IndexOf(Precisions, Influx.Precision) < 0)
        {
            throw new OptionsException("influx.precision", $"'{Influx.Precision}' is not a precision; use one of {string.Join(", ", Precisions)}.");
        }

        if (!string.IsNullOrEmpty(Influx.RetentionDuration) && string.IsNullOrEmpty(Influx.RetentionPolicy))
        {
            throw new OptionsException("influx.retentionPolicy", "is empty while influx.retentionDuration is set; name the policy to create.");
        }

        OptionsException.ThrowIfOutOfRange("connector.batchPoints", Connector.BatchPoints, 1, 1_000_000);
        OptionsException.ThrowIfOutOfRange("connector.batchBytes", Connector.BatchBytes, 1024, 256L << 20, ByteSize.Format);
        OptionsException.ThrowIfOutOfRange("connector.linger", Connector.Linger, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        OptionsException.ThrowIfOutOfRange("connector.writers", Connector.Writers, 1, 64);
        OptionsException.ThrowIfOutOfRange("connector.requestTimeout", Connector.RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        OptionsException.ThrowIfOutOfRange("connector.retryInterval", Connector.RetryInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        OptionsException.ThrowIfOutOfRange("connector.safetyWindow", Connector.SafetyWindow, TimeSpan.Zero, TimeSpan.FromHours(24));
        OptionsException.ThrowIfOutOfRange("monitor.checkInterval", Monitor.CheckInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        OptionsException.ThrowIfOutOfRange("monitor.checkTimeout", Monitor.CheckTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        OptionsException.ThrowIfOutOfRange("monitor.catchUpTolerance", Monitor.CatchUpTolerance, 0, long.MaxValue);
        CheckEndpoint("monitor.listen", Monitor.Listen);
        CheckEndpoint("balancer.listen", Balancer.Listen);
        if (!(Balancer.WriteWeight >= 0 && Balancer.ReadWeight >= 0 && Balancer.WriteWeight + Balancer.ReadWeight > 0))
        {
            throw new OptionsException("balancer.readWeight", "readWeight and writeWeight must be zero or more and not both zero.");
        }

        OptionsException.ThrowIfOutOfRange("balancer.queryTimeout", Balancer.QueryTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        OptionsException.ThrowIfOutOfRange("balancer.refreshInterval", Balancer.RefreshInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        ArgumentNullException.ThrowIfNull(Metrics);
        Metrics.Validate("metrics");
        return this;
    }

    /// <summary>Parses <c>host:port</c> into an HttpListener prefix; empty gives null.</summary>
    internal static string? ListenPrefix(string field, string endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
        {
            throw new OptionsException(field, $"'{endpoint}' is not host:port; write e.g. 127.0.0.1:8090 (port 0 picks a free one).");
        }

        return $"http://{endpoint[..colon]}:{port}/";
    }

    private static void CheckEndpoint(string field, string endpoint) => ListenPrefix(field, endpoint);

    private static void CheckName(string field, string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 100 || !NamePattern().IsMatch(name))
        {
            throw new OptionsException(field, $"'{name}' is not a valid name; use 1-100 letters, digits, '-', '_' or '.'.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
