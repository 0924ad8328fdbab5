using System.Diagnostics;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;

namespace KafkaSync.Engine.Tests.Link;

public sealed class LinkSettingsTests
{
    [Fact]
    public void A_key_file_is_read_without_its_trailing_line_break()
    {
        var path = Path.Combine(Path.GetTempPath(), "ks-key-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(path, "q7Vx2LmP9sKd4RfTz8WnY3bHc6JgE1uA\n");
            var fromFile = LinkKey.FromFile(path);
            var fromText = LinkKey.FromText("q7Vx2LmP9sKd4RfTz8WnY3bHc6JgE1uA");
            Assert.Equal(fromText.Mac("x"u8), fromFile.Mac("x"u8));
            Assert.DoesNotContain("q7Vx2LmP", fromFile.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_short_missing_or_unset_key_is_refused_naming_where_it_came_from()
    {
        Assert.Equal("key", Assert.Throws<OptionsException>(() => LinkKey.FromText("short")).Field);
        Assert.Equal("keyFile", Assert.Throws<OptionsException>(() => LinkKey.FromFile("/nonexistent/ks.key")).Field);
        var ex = Assert.Throws<OptionsException>(() => LinkKey.FromEnvironment("KS_TEST_UNSET_" + Guid.NewGuid().ToString("N")));
        Assert.Equal("keyEnv", ex.Field);
    }

    [Fact]
    public void Invalid_link_options_name_the_field()
    {
        Assert.Equal("target", Assert.Throws<OptionsException>(() => new LinkSenderOptions { Target = "no-port" }.Validate()).Field);
        Assert.Equal("heartbeatTimeout", Assert.Throws<OptionsException>(() => new LinkSenderOptions
        {
            Target = "h:1", HeartbeatInterval = TimeSpan.FromSeconds(2), HeartbeatTimeout = TimeSpan.FromSeconds(3),
        }.Validate()).Field);
        Assert.Equal("maxLevel", Assert.Throws<OptionsException>(() => new LinkSenderOptions { Target = "h:1", MinLevel = 9, MaxLevel = 3 }.Validate()).Field);
        Assert.Equal("tls.certificatePath", Assert.Throws<OptionsException>(() => new LinkReceiverOptions { Listen = "0.0.0.0:7070", Tls = new LinkTlsOptions() }.Validate()).Field);
        Assert.Equal("tls.pinnedSha256", Assert.Throws<OptionsException>(() => new LinkSenderOptions { Target = "h:1", Tls = new LinkTlsOptions { PinnedSha256 = ["abc"] } }.Validate()).Field);
        new LinkSenderOptions { Target = "[::1]:7070" }.Validate();
    }

    [Fact]
    public async Task The_token_bucket_holds_the_rate_it_was_given()
    {
        var bucket = new TokenBucket(2_000_000, 64 << 10);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 40; i++)
        {
            await bucket.TakeAsync(16 << 10, CancellationToken.None);
        }

        // 640 KiB at 2 MB/s, less the 64 KiB burst: at least ~0.29 s.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(280), $"took {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(bucket.Throttled > TimeSpan.Zero);
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_never_over_the_cap_and_resets()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(400));
        var delays = Enumerable.Range(0, 12).Select(_ => backoff.NextDelay()).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(400)));
        Assert.InRange(delays[0], TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10));
        Assert.All(delays.Skip(8), d => Assert.InRange(d, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)));
        backoff.Reset();
        Assert.InRange(backoff.NextDelay(), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public void The_adaptive_level_rises_while_waiting_on_the_link_and_falls_while_compressing()
    {
        var level = new AdaptiveLevel(3, enabled: true, min: 1, max: 9);
        var deadline = Stopwatch.StartNew();
        while (level.Level < 5 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            level.Observe(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20));
            Thread.Sleep(20);
        }

        Assert.Equal(5, level.Level);
        while (level.Level > 2 && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            level.Observe(TimeSpan.FromMilliseconds(20), TimeSpan.Zero);
            Thread.Sleep(20);
        }

        Assert.Equal(2, level.Level);
    }

    [Fact]
    public void The_shipped_example_link_configs_load_with_human_sizes_and_validate()
    {
        var examples = Path.Combine(FindRoot(), "module", "examples");
        var send = ConfigFile.Load<LinkSenderOptions>(Path.Combine(examples, "link-send.json"));
        send.Validate();
        Assert.Equal(16L << 20, send.WindowBytes);
        Assert.Equal(1 << 20, send.Frames.TargetFrameBytes);
        Assert.Equal(3, send.Frames.Level);
        Assert.Equal(2_500_000, send.BandwidthBytesPerSecond);
        Assert.True(send.AdaptiveLevel);
        Assert.Equal(TimeSpan.FromMilliseconds(800), send.ReconnectMaxDelay);

        var receive = ConfigFile.Load<LinkReceiverOptions>(Path.Combine(examples, "link-receive.json"));
        Assert.Equal("0.0.0.0:7070", receive.Listen);
        Assert.Equal("/etc/kafkasync/target.crt", receive.Tls!.CertificatePath);
        Assert.Equal(TimeSpan.FromSeconds(5), receive.HandshakeTimeout);
    }

    [Fact]
    public void A_misspelled_link_config_field_is_refused_by_name()
    {
        var ex = Assert.Throws<OptionsException>(() => ConfigFile.Parse<LinkSenderOptions>("""{ "target": "h:1", "windowBytse": "1MiB" }"""));
        Assert.Contains("windowBytse", ex.Field, StringComparison.Ordinal);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KafkaSync.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KafkaSync.sln not found");
    }
}
