using System.CommandLine;
using System.Globalization;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync tsdb run|balance|nodes|timeline`: the time-series cluster service, extra balancers, and its status.</summary>
internal static class TsdbCommand
{
    public static Command Create() => new("tsdb", "Keep time-series nodes (InfluxDB 1.x, VictoriaMetrics) filled from a Kafka topic, with failover and load-balanced reads.")
    {
        Run(), Balance(), Nodes(), Timeline(),
    };

    private static Command Run()
    {
        var config = new Option<string>("--config") { Description = "The cluster's JSON config file (see the examples folder and tsdb.schema.json).", Required = true };
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "Override kafka.bootstrapServers." };
        var topic = new Option<string?>("--topic") { Description = "Override kafka.topic." };
        var metrics = new Option<string?>("--metrics-listen") { Description = "Override metrics.listen: host:port of the Prometheus /metrics endpoint (e.g. 0.0.0.0:9464)." };
        var command = new Command("run", "Run the cluster service until Ctrl+C, SIGTERM or Stop-KafkaSyncAgent: connectors, monitor, status endpoint and read balancer. State changes are logged on stderr; the final node list is printed as JSON.")
        {
            config, bootstrap, topic, metrics,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var options = ConfigFile.Load<TsdbClusterOptions>(parse.GetValue(config)!).WithKafka(parse.GetValue(bootstrap), parse.GetValue(topic));
            if (parse.GetValue(metrics) is { } m)
            {
                options = options with { Metrics = options.Metrics with { Listen = m } };
            }

            var cluster = await TsdbCluster.StartAsync(options, new StderrLog(), stop);
            var last = await CliRun.RegisteredAsync(AgentKind.TsdbCluster, options.Name, null, cluster.StatusUrl, stop, async stopOrRequest =>
            {
                // Disposed inside the registration, so whoever waits for the entry to go finds the ports free.
                await using (cluster)
                {
                    await CliRun.UntilStoppedAsync(stopOrRequest);
                    return cluster.Nodes();
                }
            });
            CliRun.WriteJson(last);
            return CliRun.Ok;
        }, ct));
        return command;
    }

    private static Command Balance()
    {
        var config = new Option<string>("--config") { Description = "The cluster's JSON config file (its kind and balancer weights are used).", Required = true };
        var monitor = new Option<string>("--monitor") { Description = "The cluster service's status URL.", DefaultValueFactory = _ => TsdbStatusClient.DefaultUrl };
        var listen = new Option<string?>("--listen") { Description = "Override balancer.listen: host:port for queries." };
        var command = new Command("balance", "Run another read balancer that reads the node list from the cluster service's monitor, until Ctrl+C, SIGTERM or Stop-KafkaSyncAgent.")
        {
            config, monitor, listen,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var options = ConfigFile.Load<TsdbClusterOptions>(parse.GetValue(config)!);
            var endpoint = parse.GetValue(listen) ?? options.Balancer.Listen;
            var monitorUrl = StatusUrl(parse.GetValue(monitor)!, "--monitor");
            var balancer = await TsdbBalancer.StartAsync(options, monitorUrl, endpoint, new StderrLog(), stop);
            return await CliRun.RegisteredAsync(AgentKind.TsdbBalancer, options.Name + "-balancer", null, balancer.Url, stop, async stopOrRequest =>
            {
                await using (balancer)
                {
                    await Console.Error.WriteLineAsync($"kafkasync: balancer on {balancer.Url} for the cluster at {monitorUrl}; Ctrl+C stops it.");
                    await CliRun.UntilStoppedAsync(stopOrRequest);
                    return CliRun.Ok;
                }
            });
        }, ct));
        return command;
    }

    private static Command Nodes()
    {
        var (url, json) = StatusOptions();
        var command = new Command("nodes", "List the nodes: state, offsets, lag, writers, readers, pressure and last error.") { url, json };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var nodes = await TsdbStatusClient.GetNodesAsync(StatusUrl(parse.GetValue(url)!, "--status-url"), stop);
            if (parse.GetValue(json))
            {
                CliRun.WriteJson(nodes);
                return CliRun.Ok;
            }

            var c = CultureInfo.InvariantCulture;
            Console.Out.WriteLine($"{"NAME",-16} {"STATE",-12} {"LAG",10} {"WRITERS",7} {"READERS",7} {"PRESSURE",8}  LAST ERROR");
            foreach (var n in nodes)
            {
                Console.Out.WriteLine(string.Create(c, $"{n.Name,-16} {n.State,-12} {n.Lag,10} {n.Writers,7} {n.Readers,7} {n.Pressure,8:0.##}  {n.LastError ?? "-"}"));
            }

            return CliRun.Ok;
        }, ct));
        return command;
    }

    private static Command Timeline()
    {
        var (url, json) = StatusOptions();
        var command = new Command("timeline", "List every state change of every node, oldest first.") { url, json };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var entries = await TsdbStatusClient.GetTimelineAsync(StatusUrl(parse.GetValue(url)!, "--status-url"), stop);
            if (parse.GetValue(json))
            {
                CliRun.WriteJson(entries);
                return CliRun.Ok;
            }

            foreach (var e in entries)
            {
                Console.Out.WriteLine($"{e.At.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}  {e.Node,-16} {e.From,-12} -> {e.To,-12} {e.Reason}");
            }

            return CliRun.Ok;
        }, ct));
        return command;
    }

    private static (Option<string> Url, Option<bool> Json) StatusOptions() =>
    (
        new Option<string>("--status-url") { Description = "The cluster service's status URL (monitor.listen).", DefaultValueFactory = _ => TsdbStatusClient.DefaultUrl },
        new Option<bool>("--json") { Description = "Print JSON." }
    );

    private static Uri StatusUrl(string text, string option) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new OptionsException(option, $"'{text}' is not an http URL; write e.g. {TsdbStatusClient.DefaultUrl}.");
}
