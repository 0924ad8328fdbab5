using System.Net.Http.Headers;
using System.Text;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Tsdb.Fixtures;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Engine.Tests.Tsdb;

/// <summary>An InfluxDB node with authentication on, and a retention policy created at setup.</summary>
public sealed class TsdbCluster_InfluxAuth_Tests : IDisposable
{
    private const string User = "writer";
    private const string Password = "s3cret pass";
    private readonly TsdbServer server = TsdbServer.StartInflux(auth: true);

    public TsdbCluster_InfluxAuth_Tests()
    {
        // With auth on, InfluxDB lets the first admin user be created without credentials.
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = $"CREATE USER {User} WITH PASSWORD '{Password}' WITH ALL PRIVILEGES" });
        using var response = http.PostAsync(new Uri(server.Url, "query"), form).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task With_credentials_the_database_and_retention_policy_are_created_and_points_written_there()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 2);
        var variable = "KAFKASYNC_TEST_PW_" + Guid.NewGuid().ToString("N")[..6];
        Environment.SetEnvironmentVariable(variable, Password);
        var options = TestClusters.Options(kafka.BootstrapServers, "points", [server], "authdb");
        options = options with
        {
            Influx = options.Influx with { Username = User, PasswordEnvironmentVariable = variable, RetentionPolicy = "two_weeks", RetentionDuration = "2w" },
        };
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);
        await Poll.UntilAsync(() => cluster.Nodes().Single().State == TsdbNodeState.Available, TimeSpan.FromSeconds(30), "the node is available", timeout.Token);
        using (var feed = new PointFeed(kafka.BootstrapServers, "points", 2, "auth"))
        {
            await feed.ProduceAsync(1_000, 10, timeout.Token);
        }

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        await Poll.UntilAsync(async () => (await http.GetStringAsync(new Uri(server.Url, "query?db=authdb&q=" + Uri.EscapeDataString("SELECT count(v) FROM two_weeks.auth")), timeout.Token)).Contains("1000", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "every point is in the two_weeks policy", timeout.Token);
        var policies = await http.GetStringAsync(new Uri(server.Url, "query?q=" + Uri.EscapeDataString("SHOW RETENTION POLICIES ON authdb")), timeout.Token);
        Assert.Contains("\"two_weeks\",\"336h0m0s\"", policies);
        Environment.SetEnvironmentVariable(variable, null);
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_node_out_with_a_message_about_credentials_and_dead_letters_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var kafka = new EmbeddedKafka(brokers: 1);
        kafka.CreateTopic("points", partitions: 1);
        var options = TestClusters.Options(kafka.BootstrapServers, "points", [server], "authdb");
        options = options with { Influx = options.Influx with { Username = User, Password = "wrong" } };
        await using var cluster = await TsdbCluster.StartAsync(options, cancellation: timeout.Token);

        await Poll.UntilAsync(() => cluster.Nodes().Single().LastError != null, TimeSpan.FromSeconds(30), "the refusal is reported", timeout.Token);
        var node = cluster.Nodes().Single();
        Assert.Equal(TsdbNodeState.Unavailable, node.State);
        Assert.Contains("authorization failed", node.LastError);
        Assert.Contains("check influx.username and the password", node.LastError);
        Assert.Equal(0, node.DeadLetters);
    }
}
