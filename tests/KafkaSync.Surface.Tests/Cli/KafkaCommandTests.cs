using System.Diagnostics;
using System.Text.Json;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Surface.Tests.Cli;

/// <summary>`kafkasync demo|source|target|status|schema` run as processes, and the shipped config files.</summary>
public sealed class KafkaCommandTests : IDisposable
{
    private static readonly string Root = RepoRoot.Find();
    private readonly string _folder = Directory.CreateTempSubdirectory("ks-cli-kafka-").FullName;

    [Fact]
    public async Task Demo_copies_sample_traffic_and_reports_an_identical_target()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var (code, output, error) = await RunAsync(timeout.Token, "demo", "--records", "6000", "--cut-link", "--json");
        Assert.True(code == 0, $"exit code {code}; stdout: {output}; stderr: {error}");
        using var result = JsonDocument.Parse(output);
        Assert.True(result.RootElement.GetProperty("identical").GetBoolean(), output);
        Assert.Equal(6000, result.RootElement.GetProperty("records").GetInt64());
        Assert.Equal(1, result.RootElement.GetProperty("linkCuts").GetInt32());
        Assert.True(result.RootElement.GetProperty("wireBytes").GetInt64() < result.RootElement.GetProperty("bytesRead").GetInt64());
    }

    [Theory]
    [InlineData("source")]
    [InlineData("target")]
    [InlineData("tsdb")]
    public async Task Published_schema_is_the_one_the_options_generate(string agent)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (code, output, error) = await RunAsync(timeout.Token, "schema", agent);
        Assert.True(code == 0, error);
        var published = await File.ReadAllTextAsync(Path.Combine(Root, "module", "schemas", agent + ".schema.json"), timeout.Token);
        Assert.Equal(published.TrimEnd(), output.TrimEnd());
    }

    [Fact]
    public void Shipped_example_configs_load_and_validate()
    {
        ConfigFile.Load<SourceAgentOptions>(Path.Combine(Root, "module", "examples", "source.json")).Validate();
        ConfigFile.Load<TargetAgentOptions>(Path.Combine(Root, "module", "examples", "target.json")).Validate();
    }

    [Fact]
    public async Task Source_with_a_misspelt_field_exits_2_naming_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var config = Path.Combine(_folder, "source.json");
        await File.WriteAllTextAsync(config, """{ "kafka": { "bootstrapServers": "127.0.0.1:9092" }, "topic": { "names": ["a"] } }""", timeout.Token);
        var (code, _, error) = await RunAsync(timeout.Token, "source", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains("'topic'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Target_with_a_metrics_listen_that_is_not_host_and_port_exits_2_naming_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var config = Path.Combine(_folder, "target.json");
        await File.WriteAllTextAsync(config, """{ "kafka": { "bootstrapServers": "127.0.0.1:9092" }, "queue": { "path": "q" }, "link": { "listen": "127.0.0.1:0" }, "linkKeyFile": "k" }""", timeout.Token);
        var (code, _, error) = await RunAsync(timeout.Token, "target", "--config", config, "--metrics-listen", "9464");
        Assert.Equal(2, code);
        Assert.Contains("'metrics.listen'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_a_folder_without_an_agent_exits_1_with_a_clear_message()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (code, _, error) = await RunAsync(timeout.Token, "status", _folder);
        Assert.Equal(1, code);
        Assert.Contains("No agent status", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(CancellationToken ct, params string[] args)
    {
        var result = await HostProcess.RunAsync(ct, args);
        return (result.ExitCode, result.Out, result.Err);
    }
}
