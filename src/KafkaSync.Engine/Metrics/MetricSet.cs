using System.Reflection;
using Prometheus;

namespace KafkaSync.Engine.Metrics;

/// <summary>
/// A registry of its own with the labels every series of one agent or cluster carries, and
/// shorthands to declare metrics in it. Values are set at scrape time by a callback that reads
/// the engine's status (the registry's before-collect callback), so nothing is pushed from hot paths.
/// </summary>
internal sealed class MetricSet
{
    /// <summary>Latency buckets in seconds: from a fast loopback (1 ms) to a link down for hours.</summary>
    public static readonly double[] LatencyBuckets =
        [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400];

    /// <summary>fsync buckets in seconds: 50 µs (a fast NVMe) to 2 s (a disk in trouble).</summary>
    public static readonly double[] FsyncBuckets =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2];

    private readonly IMetricFactory _factory;

    public MetricSet(IDictionary<string, string> staticLabels)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Registry.SetStaticLabels(staticLabels);
        _factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        // Standard process_* series (CPU, memory, open files, start time) for this process.
        DotNetStats.Register(Registry);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>The module's version, for the info series.</summary>
    public static string Version { get; } =
        typeof(MetricSet).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public Gauge Gauge(string name, string help, params string[] labels) =>
        _factory.CreateGauge(name, help, new GaugeConfiguration { LabelNames = labels });

    public Counter Counter(string name, string help, params string[] labels) =>
        _factory.CreateCounter(name, help, new CounterConfiguration { LabelNames = labels });

    public Histogram Histogram(string name, string help, double[] buckets) =>
        _factory.CreateHistogram(name, help, new HistogramConfiguration { Buckets = buckets });

    /// <summary>Sets one series per value of <typeparamref name="T"/>: 1 for <paramref name="current"/>, 0 for the others.</summary>
    public static void SetState<T>(Gauge gauge, T current, Func<T, string> name, params string[] otherLabels)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            gauge.WithLabels([.. otherLabels, name(value)]).Set(EqualityComparer<T>.Default.Equals(value, current) ? 1 : 0);
        }
    }

    /// <summary>Unix seconds of <paramref name="at"/>, or 0 when there is none.</summary>
    public static double Seconds(DateTimeOffset? at) => at is { } t ? t.ToUnixTimeMilliseconds() / 1000.0 : 0;
}
