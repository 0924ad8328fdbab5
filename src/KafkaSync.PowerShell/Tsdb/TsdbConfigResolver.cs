using System.Management.Automation;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>Turns the cmdlets' config parameters into cluster options: parameters over the file over defaults.</summary>
internal static class TsdbConfigResolver
{
    public static TsdbClusterOptions Resolve(string? path, TsdbClusterOptions? config, PSCredential? credential, string? bootstrapServers, string? topic)
    {
        var options = config ?? (path != null ? ConfigValues.Load<TsdbClusterOptions>(path) : throw new OptionsException("ConfigPath", "give -ConfigPath or -Config."));
        if (credential != null)
        {
            options = options with
            {
                Influx = options.Influx with
                {
                    Username = credential.UserName,
                    Password = credential.GetNetworkCredential().Password,
                    PasswordEnvironmentVariable = "",
                },
            };
        }

        return options.WithKafka(bootstrapServers, topic);
    }
}
