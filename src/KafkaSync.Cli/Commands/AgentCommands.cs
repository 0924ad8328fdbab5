using System.CommandLine;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync source|target --config FILE`: run an agent in the foreground (for services) until Ctrl+C or SIGTERM.</summary>
internal static class AgentCommands
{
    public static Command Source()
    {
        var (config, name, bootstrap, queue, metrics, verbose) = CommonOptions();
        var target = new Option<string?>("--link-target") { Description = "Override link.target: the target agent's host:port." };
        var command = new Command("source", "Run a source agent: copy the selected topics into the source queue and send it to the target agent. Stops cleanly on Ctrl+C, SIGTERM or Stop-KafkaSyncAgent and prints a JSON summary.")
        {
            config, name, bootstrap, queue, target, metrics, verbose,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var options = ConfigFile.Load<SourceAgentOptions>(parse.GetValue(config)!);
            options = options with
            {
                Name = parse.GetValue(name) ?? options.Name,
                Kafka = options.Kafka with { BootstrapServers = parse.GetValue(bootstrap) ?? options.Kafka.BootstrapServers },
                Queue = options.Queue with { Path = parse.GetValue(queue) ?? options.Queue.Path },
                Metrics = parse.GetValue(metrics) is { } m ? options.Metrics with { Listen = m } : options.Metrics,
                Link = parse.GetValue(target) is { } t ? (options.Link ?? new() { Target = t }) with { Target = t } : options.Link,
            };
            var agent = new SourceAgent(options, parse.GetValue(verbose) ? new StderrLog() : null);
            CliRun.WriteJson(await CliRun.RegisteredAsync(AgentKind.Source, agent.Status.Name, agent.Status.QueuePath, null, stop, agent.RunAsync));
            return CliRun.Ok;
        }, ct));
        return command;
    }

    public static Command Target()
    {
        var (config, name, bootstrap, queue, metrics, verbose) = CommonOptions();
        var listen = new Option<string?>("--listen") { Description = "Override link.listen: host:port to listen on." };
        var command = new Command("target", "Run a target agent: receive the link into the target queue and produce it to the target cluster. Stops cleanly on Ctrl+C, SIGTERM or Stop-KafkaSyncAgent and prints a JSON summary.")
        {
            config, name, bootstrap, queue, listen, metrics, verbose,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var options = ConfigFile.Load<TargetAgentOptions>(parse.GetValue(config)!);
            options = options with
            {
                Name = parse.GetValue(name) ?? options.Name,
                Kafka = options.Kafka with { BootstrapServers = parse.GetValue(bootstrap) ?? options.Kafka.BootstrapServers },
                Queue = options.Queue with { Path = parse.GetValue(queue) ?? options.Queue.Path },
                Metrics = parse.GetValue(metrics) is { } m ? options.Metrics with { Listen = m } : options.Metrics,
                Link = parse.GetValue(listen) is { } l ? (options.Link ?? new() { Listen = l }) with { Listen = l } : options.Link,
            };
            var agent = new TargetAgent(options, parse.GetValue(verbose) ? new StderrLog() : null);
            CliRun.WriteJson(await CliRun.RegisteredAsync(AgentKind.Target, agent.Status.Name, agent.Status.QueuePath, null, stop, agent.RunAsync));
            return CliRun.Ok;
        }, ct));
        return command;
    }

    private static (Option<string> Config, Option<string?> Name, Option<string?> Bootstrap, Option<string?> Queue, Option<string?> Metrics, Option<bool> Verbose) CommonOptions() =>
    (
        new Option<string>("--config") { Description = "The agent's JSON config file (see the examples folder and its schema).", Required = true },
        new Option<string?>("--name") { Description = "Override name." },
        new Option<string?>("--bootstrap-servers") { Description = "Override kafka.bootstrapServers." },
        new Option<string?>("--queue") { Description = "Override queue.path." },
        new Option<string?>("--metrics-listen") { Description = "Override metrics.listen: host:port of the Prometheus /metrics endpoint (e.g. 0.0.0.0:9464)." },
        new Option<bool>("--verbose") { Description = "Log progress to stderr." }
    );
}
