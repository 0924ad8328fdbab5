using System.Globalization;
using System.Net;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>
/// One site of `bench wan`, run as its own process inside the site's network namespace: its
/// embedded Kafka cluster, its ends of the delay relays, and a line protocol on stdin/stdout by
/// which the benchmark drives it. The source site produces the generated events; the target site
/// watches its cluster and reports how many records arrived and how stale they were. Stdin closing
/// (the benchmark ended or died) stops the site.
/// </summary>
public static partial class WanSite
{
    /// <summary>The first port the link's relays use; a target agent listens on one of them on its loopback.</summary>
    public const int LinkPort = 17070;

    /// <summary>How many consecutive link ports are relayed: a fresh one per run, so a new agent never waits for the old one's port.</summary>
    public const int LinkPorts = 2;

    /// <summary>Runs the source site: cluster, relays for its brokers and for the link, then commands.</summary>
    /// <param name="halfRoundTrip">Delay each relay adds to the bytes that crossed the link.</param>
    /// <param name="input">Commands, one a line.</param>
    /// <param name="output">Answers, one a line.</param>
    /// <param name="ct">Stops the site.</param>
    public static async Task RunSourceAsync(TimeSpan halfRoundTrip, TextReader input, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var cluster = new EmbeddedKafka(brokers: 3);
        var relays = new List<DelayRelay>();
        try
        {
            // The target site reaches a broker at the same port on its own loopback; this end takes
            // it off the link, holds the requests half a round trip and hands them to the broker.
            foreach (var port in Ports(cluster.BootstrapServers))
            {
                relays.Add(new DelayRelay(new IPEndPoint(IPAddress.Parse(WanNetwork.SourceAddress), port), new IPEndPoint(IPAddress.Loopback, port), halfRoundTrip, TimeSpan.Zero));
            }

            // The source agent dials the link port on its loopback; the acks come back held.
            for (var port = LinkPort; port < LinkPort + LinkPorts; port++)
            {
                relays.Add(new DelayRelay(new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.Parse(WanNetwork.TargetAddress), port), TimeSpan.Zero, halfRoundTrip));
            }

            await ReplyAsync(output, "ready " + cluster.BootstrapServers);
            await ServeAsync(input, output, ct, async (words, token) => words[0] switch
            {
                "topics" => CreateTopics(cluster, words[1]),
                "backlog" => await Task.Run(() => WanTraffic.Backlog(cluster.BootstrapServers, words[1], words[2], int.Parse(words[3], CultureInfo.InvariantCulture), token), token),
                "rate" => await Task.Run(() => WanTraffic.AtRate(cluster.BootstrapServers, words[1], words[2], int.Parse(words[3], CultureInfo.InvariantCulture), double.Parse(words[4], CultureInfo.InvariantCulture), 2 * halfRoundTrip, token), token),
                _ => throw new InvalidDataException($"unknown command '{words[0]}'"),
            });
        }
        finally
        {
            foreach (var relay in relays)
            {
                await relay.DisposeAsync();
            }
        }
    }

    /// <summary>Runs the target site: relays toward the source brokers and from the link, its cluster, then commands.</summary>
    /// <param name="sourceBootstrap">The source cluster's bootstrap list (ports are mirrored on this side's loopback).</param>
    /// <param name="halfRoundTrip">Delay each relay adds to the bytes that crossed the link.</param>
    /// <param name="input">Commands, one a line.</param>
    /// <param name="output">Answers, one a line.</param>
    /// <param name="ct">Stops the site.</param>
    public static async Task RunTargetAsync(string sourceBootstrap, TimeSpan halfRoundTrip, TextReader input, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var relays = new List<DelayRelay>();
        try
        {
            // Bound before the cluster starts, so its brokers cannot take the source brokers' ports.
            // The brokers advertise 127.0.0.1:port, so a client here that bootstraps on these ports
            // follows the metadata to the same relays.
            foreach (var port in Ports(sourceBootstrap))
            {
                relays.Add(new DelayRelay(new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.Parse(WanNetwork.SourceAddress), port), TimeSpan.Zero, halfRoundTrip));
            }

            for (var port = LinkPort; port < LinkPort + LinkPorts; port++)
            {
                relays.Add(new DelayRelay(new IPEndPoint(IPAddress.Parse(WanNetwork.TargetAddress), port), new IPEndPoint(IPAddress.Loopback, port), halfRoundTrip, TimeSpan.Zero));
            }

            using var cluster = new EmbeddedKafka(brokers: 3);
            await ReplyAsync(output, "ready " + cluster.BootstrapServers);
            await ServeAsync(input, output, ct, async (words, token) => words[0] switch
            {
                "topics" => CreateTopics(cluster, words[1]),
                "watch" => await Task.Run(() => WanWatch.Run(cluster.BootstrapServers, words[1], int.Parse(words[2], CultureInfo.InvariantCulture), long.Parse(words[3], CultureInfo.InvariantCulture), output, token), token),
                _ => throw new InvalidDataException($"unknown command '{words[0]}'"),
            });
        }
        finally
        {
            foreach (var relay in relays)
            {
                await relay.DisposeAsync();
            }
        }
    }

    /// <summary>The generated topics with a run's prefix, and their partition counts.</summary>
    public static IEnumerable<(string Topic, int Partitions)> Topics(string prefix) =>
        EventGenerator.Topics.Select(t => ($"{prefix}.{t.Topic}", t.Partitions));

    private static string CreateTopics(EmbeddedKafka cluster, string prefix)
    {
        foreach (var (topic, partitions) in Topics(prefix))
        {
            cluster.CreateTopic(topic, partitions);
        }

        return "ok";
    }

    private static IEnumerable<int> Ports(string bootstrap) =>
        bootstrap.Split(',').Select(b => int.Parse(b[(b.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));

    private static async Task ServeAsync(TextReader input, TextWriter output, CancellationToken ct, Func<string[], CancellationToken, Task<string>> handle)
    {
        while (await input.ReadLineAsync(ct) is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            string answer;
            try
            {
                answer = await handle(words, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                answer = "error " + ex.Message.ReplaceLineEndings(" ");
            }

            await ReplyAsync(output, answer);
        }
    }

    internal static async Task ReplyAsync(TextWriter output, string line)
    {
        await output.WriteLineAsync(line);
        await output.FlushAsync();
    }
}
