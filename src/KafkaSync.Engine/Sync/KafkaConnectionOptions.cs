using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// How an agent reaches its Kafka cluster. <see cref="Settings"/> pass straight through to
/// librdkafka (security.protocol, ssl.*, sasl.mechanism, …); the SASL password comes from
/// exactly one of <see cref="SaslPassword"/> (set from a PSCredential or code, never from the
/// config file), <see cref="SaslPasswordFile"/> or <see cref="SaslPasswordEnvironmentVariable"/>.
/// </summary>
public sealed record KafkaConnectionOptions
{
    /// <summary>Comma-separated host:port list of brokers.</summary>
    public string BootstrapServers { get; init; } = "";

    /// <summary>Extra librdkafka settings, passed through unchanged (e.g. "security.protocol": "SASL_SSL").</summary>
    public Dictionary<string, string> Settings { get; init; } = new(StringComparer.Ordinal);

    /// <summary>SASL user name (sets sasl.username).</summary>
    public string? SaslUsername { get; init; }

    /// <summary>SASL password given directly (from a PSCredential or a parameter); not read from config files.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? SaslPassword { get; init; }

    /// <summary>Path of a file whose first line is the SASL password.</summary>
    public string? SaslPasswordFile { get; init; }

    /// <summary>Name of an environment variable holding the SASL password.</summary>
    public string? SaslPasswordEnvironmentVariable { get; init; }

    /// <summary>Checks the settings; <paramref name="prefix"/> is the path of this object in the config, e.g. "kafka".</summary>
    /// <exception cref="OptionsException">A setting is missing or invalid.</exception>
    public void Validate(string prefix)
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new OptionsException($"{prefix}.bootstrapServers", "is required; give the brokers as host:port[,host:port…].");
        }

        foreach (var server in BootstrapServers.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server[(colon + 1)..], out var port) || port is < 1 or > 65535)
            {
                throw new OptionsException($"{prefix}.bootstrapServers", $"'{server}' is not host:port with a port from 1 to 65535.");
            }
        }

        var sources = new[] { SaslPassword, SaslPasswordFile, SaslPasswordEnvironmentVariable }.Count(s => s is not null);
        if (sources > 1)
        {
            throw new OptionsException($"{prefix}.saslPassword", "is given more than once; use only one of a credential, saslPasswordFile or saslPasswordEnvironmentVariable.");
        }

        foreach (var key in Settings.Keys)
        {
            if (key is "bootstrap.servers" or "sasl.password")
            {
                throw new OptionsException($"{prefix}.settings.{key}", key == "sasl.password"
                    ? "must not be written in the config; use saslPasswordFile, saslPasswordEnvironmentVariable or a credential."
                    : "is set by bootstrapServers; remove it from settings.");
            }
        }
    }

    /// <summary>The librdkafka settings these options stand for, the password resolved.</summary>
    /// <exception cref="OptionsException">The password file or variable cannot be read.</exception>
    public Dictionary<string, string> ToClientSettings(string prefix)
    {
        var settings = new Dictionary<string, string>(Settings, StringComparer.Ordinal) { ["bootstrap.servers"] = BootstrapServers };
        if (SaslUsername is not null)
        {
            settings["sasl.username"] = SaslUsername;
        }

        var password = SaslPassword ?? ReadPasswordFile(prefix) ?? ReadPasswordVariable(prefix);
        if (password is not null)
        {
            settings["sasl.password"] = password;
        }

        return settings;
    }

    private string? ReadPasswordFile(string prefix)
    {
        if (SaslPasswordFile is null)
        {
            return null;
        }

        try
        {
            return File.ReadLines(SaslPasswordFile).FirstOrDefault()?.TrimEnd('\r')
                ?? throw new OptionsException($"{prefix}.saslPasswordFile", $"'{SaslPasswordFile}' is empty; its first line must be the password.");
        }
        catch (IOException ex)
        {
            throw new OptionsException($"{prefix}.saslPasswordFile", $"cannot read '{SaslPasswordFile}': {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new OptionsException($"{prefix}.saslPasswordFile", $"cannot read '{SaslPasswordFile}': {ex.Message}");
        }
    }

    private string? ReadPasswordVariable(string prefix)
    {
        if (SaslPasswordEnvironmentVariable is null)
        {
            return null;
        }

        return Environment.GetEnvironmentVariable(SaslPasswordEnvironmentVariable)
            ?? throw new OptionsException($"{prefix}.saslPasswordEnvironmentVariable", $"the variable '{SaslPasswordEnvironmentVariable}' is not set.");
    }
}
