using System.CommandLine;
using KafkaSync.Cli.Commands;

var root = new RootCommand("kafkasync — syncs Kafka topics between sites through sequenced disk queues, and feeds time-series nodes from Kafka.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
