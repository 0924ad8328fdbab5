using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class TopicRulesTests
{
    [Fact]
    public void Selection_takes_listed_names_and_whole_name_pattern_matches_minus_excludes()
    {
        var selection = new TopicSelection { Names = ["orders"], Include = @"metrics\..*", Exclude = @"metrics\.debug\..*" };
        string[] cluster = ["orders", "payments", "metrics.cpu", "metrics.debug.x", "xmetrics.cpu", "__consumer_offsets"];
        Assert.Equal(["metrics.cpu", "orders"], selection.Resolve(cluster, "topics"));
    }

    [Fact]
    public void Renaming_prefers_the_map_then_the_prefix()
    {
        var renaming = new TopicRenaming { Prefix = "dc1.", Map = new() { ["cpu"] = "dc1-cpu-total" } };
        Assert.Equal("dc1.orders", renaming.Apply("orders"));
        Assert.Equal("dc1-cpu-total", renaming.Apply("cpu"));
        Assert.Equal("topics.map.cpu", Assert.Throws<OptionsException>(() => (renaming with { Map = new() { ["cpu"] = "bad name" } }).Validate("topics")).Field);
    }

    [Fact]
    public void Sasl_password_comes_from_a_file_or_variable_and_never_from_the_settings()
    {
        var folder = Directory.CreateTempSubdirectory("ks-sasl-").FullName;
        var file = Path.Combine(folder, "pw");
        File.WriteAllText(file, "s3cret\nignored\n");
        var fromFile = new KafkaConnectionOptions { BootstrapServers = "h:9092", SaslUsername = "u", SaslPasswordFile = file };
        Assert.Equal("s3cret", fromFile.ToClientSettings("kafka")["sasl.password"]);

        var inSettings = new KafkaConnectionOptions { BootstrapServers = "h:9092", Settings = new() { ["sasl.password"] = "x" } };
        Assert.Equal("kafka.settings.sasl.password", Assert.Throws<OptionsException>(() => inSettings.Validate("kafka")).Field);

        var unsetVariable = new KafkaConnectionOptions { BootstrapServers = "h:9092", SaslPasswordEnvironmentVariable = "KAFKASYNC_TEST_UNSET_" + Guid.NewGuid().ToString("N") };
        Assert.Equal("kafka.saslPasswordEnvironmentVariable", Assert.Throws<OptionsException>(() => unsetVariable.ToClientSettings("kafka")).Field);
        Directory.Delete(folder, recursive: true);
    }
}
