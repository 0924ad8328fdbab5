using System.CommandLine;

namespace KafkaSync.Cli.Commands;

/// <summary>Every top-level command of the host, in the order `kafkasync --help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return AgentCommands.Source();
        yield return AgentCommands.Target();
        yield return StatusCommand.Create();
        yield return OffsetsCommand.Create();
        yield return TsdbCommand.Create();
        yield return SchemaCommand.Create();
        yield return EmbeddedCommand.Create();
        yield return QueueCommand.Create();
        yield return LinkCommand.Create();
        yield return BenchCommand.Create();
        yield return FramesCommand.Create();
    }
}
