using System.Net;
using System.Net.Sockets;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Metrics;
using KafkaSync.Engine.Sync;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Metrics;

public sealed class MetricsOptionsTests
{
    [Theory]
    [InlineData("9464")]
    [InlineData("localhost")]
    [InlineData(":9464")]
    [InlineData("127.0.0.1:http")]
    [InlineData("127.0.0.1:70000")]
    public void A_listen_address_that_is_not_host_and_port_names_metrics_listen(string listen)
    {
        var ex = Assert.Throws<OptionsException>(() => new MetricsOptions { Listen = listen }.Validate("metrics"));
        Assert.Equal("metrics.listen", ex.Field);
        Assert.Contains("0.0.0.0:9464", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0.0.0.0:9464")]
    [InlineData("[::1]:0")]
    [InlineData("metrics.example.net:9464")]
    public void Off_or_host_and_port_is_accepted(string? listen)
    {
        new MetricsOptions { Listen = listen }.Validate("metrics");
    }

    [Fact]
    public void Each_config_file_reads_the_metrics_section_and_the_agents_check_it()
    {
        var source = ConfigFile.Parse<SourceAgentOptions>("""{ "metrics": { "listen": "0.0.0.0:9464" } }""");
        Assert.Equal("0.0.0.0:9464", source.Metrics.Listen);
        var target = ConfigFile.Parse<TargetAgentOptions>("""{ "metrics": { "listen": "nonsense" }, "kafka": { "bootstrapServers": "k:9092" }, "queue": { "path": "q" }, "link": { "listen": "0.0.0.0:7070" }, "linkKeyFile": "k" }""");
        Assert.Equal("metrics.listen", Assert.Throws<OptionsException>(target.Validate).Field);
        var tsdb = ConfigFile.Parse<TsdbClusterOptions>("""{ "metrics": { "listen": "127.0.0.1:0" } }""");
        Assert.True(tsdb.Metrics.Enabled);
        Assert.False(new SourceAgentOptions().Metrics.Enabled);
    }

    [Fact]
    public void A_misspelt_field_in_the_metrics_section_is_named()
    {
        var ex = Assert.Throws<OptionsException>(() => ConfigFile.Parse<SourceAgentOptions>("""{ "metrics": { "listn": "0.0.0.0:9464" } }"""));
        Assert.Equal("metrics.listn", ex.Field);
    }

    [Fact]
    public async Task A_metrics_port_in_use_stops_the_agent_at_start_naming_metrics_listen()
    {
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        busy.Listen();
        var folder = Directory.CreateTempSubdirectory("kafkasync-metrics-").FullName;
        try
        {
            var keyFile = Path.Combine(folder, "key");
            await File.WriteAllTextAsync(keyFile, "a-test-key-of-enough-length-1234");
            var agent = new SourceAgent(new SourceAgentOptions
            {
                Kafka = new KafkaConnectionOptions { BootstrapServers = "127.0.0.1:1" },
                Topics = new TopicSelection { Names = ["t"] },
                Queue = new AgentQueueOptions { Path = Path.Combine(folder, "q") },
                Link = new Engine.Link.LinkSenderOptions { Target = "127.0.0.1:1" },
                LinkKeyFile = keyFile,
                Metrics = new MetricsOptions { Listen = busy.LocalEndPoint!.ToString() },
            });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var ex = await Assert.ThrowsAsync<AgentException>(() => agent.RunAsync(timeout.Token));
            Assert.Contains("metrics.listen", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
