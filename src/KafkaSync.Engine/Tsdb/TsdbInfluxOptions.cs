namespace KafkaSync.Engine.Tsdb;

/// <summary>InfluxDB 1.x write settings, shared by every node of an InfluxDB cluster.</summary>
public sealed record TsdbInfluxOptions
{
    /// <summary>The database the points go to; created on every node at start (default <c>metrics</c>).</summary>
    public string Database { get; init; } = "metrics";

    /// <summary>The retention policy to write to; empty uses the database's default. Created at start when <see cref="RetentionDuration"/> is set.</summary>
    public string RetentionPolicy { get; init; } = "";

    /// <summary>The retention policy's duration in InfluxQL syntax (e.g. <c>30d</c>, <c>INF</c>); empty means the policy must already exist.</summary>
    public string RetentionDuration { get; init; } = "";

    /// <summary>Timestamp precision of the lines: <c>ns</c>, <c>u</c>, <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c> (default <c>ns</c>).</summary>
    public string Precision { get; init; } = "ns";

    /// <summary>User name for basic authentication; empty for none.</summary>
    public string Username { get; init; } = "";

    /// <summary>Password for basic authentication; better given through <see cref="PasswordEnvironmentVariable"/>.</summary>
    public string Password { get; init; } = "";

    /// <summary>The name of an environment variable holding the password, so the config file need not hold it.</summary>
    public string PasswordEnvironmentVariable { get; init; } = "";
}
