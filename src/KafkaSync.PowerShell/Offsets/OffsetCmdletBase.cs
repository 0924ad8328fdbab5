using System.Collections.Concurrent;
using System.Management.Automation;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Offsets;

/// <summary>What Get-KafkaSyncOffset and Sync-KafkaSyncConsumerGroup share: the target agent's config, the groups and the source cluster.</summary>
public abstract class OffsetCmdletBase : StoppableCmdlet
{
    /// <summary>The error id for a config or parameter that cannot be used.</summary>
    public const string InvalidOffsetOptions = nameof(InvalidOffsetOptions);

    /// <summary>The error id for a queue folder without an offset map.</summary>
    public const string OffsetMapMissing = nameof(OffsetMapMissing);

    /// <summary>The error id for a cluster that did not answer.</summary>
    public const string ClusterUnavailable = nameof(ClusterUnavailable);

    /// <summary>The target agent's JSON config: its cluster, queue folder (where the offset map is) and groupSync.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Config")]
    public string ConfigPath { get; set; } = "";

    /// <summary>Consumer groups; default: groupSync.groups of the config.</summary>
    [Parameter(Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string[] Group { get; set; } = [];

    /// <summary>The source cluster (host:port,…); default: groupSync.sourceKafka of the config.</summary>
    [Parameter]
    public string? SourceBootstrapServers { get; set; }

    /// <summary>Runs the engine's show or sync; writes errors and returns null on failure.</summary>
    private protected IReadOnlyList<ConsumerGroupOffset>? Run(IReadOnlyList<string> groups, bool commit)
    {
        var messages = new ConcurrentQueue<string>();
        try
        {
            var options = ConfigFile.Load<TargetAgentOptions>(ResolvePath(ConfigPath)!);
            return GroupOffsets.RunAsync(options, groups, SourceBootstrapServers, commit, new Progress(messages), StopToken).GetAwaiter().GetResult();
        }
        catch (OptionsException ex)
        {
            WriteError(new ErrorRecord(ex, InvalidOffsetOptions, ErrorCategory.InvalidArgument, ConfigPath));
        }
        catch (FileNotFoundException ex)
        {
            WriteError(new ErrorRecord(ex, OffsetMapMissing, ErrorCategory.ObjectNotFound, ConfigPath));
        }
        catch (IOException ex)
        {
            WriteError(new ErrorRecord(ex, ClusterUnavailable, ErrorCategory.ConnectionError, ConfigPath));
        }
        finally
        {
            // Messages come from Kafka's threads; only the pipeline thread may write them.
            while (messages.TryDequeue(out var message))
            {
                WriteVerbose(message);
            }
        }

        return null;
    }

    private sealed class Progress(ConcurrentQueue<string> messages) : IProgress<string>
    {
        public void Report(string value) => messages.Enqueue(value);
    }
}
