using System.Management.Automation;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>Turns the agent cmdlets' shared parameters into engine options: the file first, parameters over it.</summary>
internal static class AgentParameters
{
    public static T Load<T>(PSCmdlet cmdlet, string? configPath)
        where T : new() =>
        configPath is null ? new T() : ConfigValues.Load<T>(PowerShellPaths.Resolve(cmdlet, configPath)!);

    public static KafkaConnectionOptions Kafka(KafkaConnectionOptions options, string? bootstrapServers, PSCredential? sasl) =>
        options with
        {
            BootstrapServers = bootstrapServers ?? options.BootstrapServers,
            SaslUsername = sasl?.UserName ?? options.SaslUsername,
            SaslPassword = sasl?.GetNetworkCredential().Password ?? options.SaslPassword,
            SaslPasswordFile = sasl is null ? options.SaslPasswordFile : null,
            SaslPasswordEnvironmentVariable = sasl is null ? options.SaslPasswordEnvironmentVariable : null,
        };

    public static LinkKey? Key(PSCredential? credential) =>
        credential is null ? null : LinkKey.FromText(credential.GetNetworkCredential().Password, "LinkCredential");

    public static AgentQueueOptions Queue(PSCmdlet cmdlet, AgentQueueOptions options, string? queuePath) =>
        options with { Path = PowerShellPaths.Resolve(cmdlet, queuePath) ?? options.Path };
}
