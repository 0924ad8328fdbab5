using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Framing;

namespace KafkaSync.Engine.Tests.Framing;

public sealed class FrameOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        new FrameOptions().Validate();
    }

    [Theory]
    [InlineData("frames.level")]
    [InlineData("frames.maxFrameRawBytes")]
    [InlineData("frames.targetFrameBytes")]
    [InlineData("frames.windowLog")]
    [InlineData("frames.maxFrameDelay")]
    [InlineData("frames.dictionaryPath")]
    public void A_bad_setting_is_refused_naming_its_field(string field)
    {
        var options = field switch
        {
            "frames.level" => new FrameOptions { Level = 40 },
            "frames.maxFrameRawBytes" => new FrameOptions { MaxFrameRawBytes = 100 },
            "frames.targetFrameBytes" => new FrameOptions { TargetFrameBytes = 32 << 20 },
            "frames.windowLog" => new FrameOptions { WindowLog = 31 },
            "frames.maxFrameDelay" => new FrameOptions { MaxFrameDelay = TimeSpan.FromHours(1) },
            _ => new FrameOptions { DictionaryPath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")) },
        };

        var ex = Assert.Throws<OptionsException>(options.Validate);
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Options_read_from_a_json_config_use_human_durations()
    {
        var options = ConfigFile.Parse<FrameOptions>("""{ "level": 3, "layout": "row", "maxFrameDelay": "5ms", "targetFrameBytes": 65536 }""");
        Assert.Equal(3, options.Level);
        Assert.Equal(FrameLayout.Row, options.Layout);
        Assert.Equal(TimeSpan.FromMilliseconds(5), options.MaxFrameDelay);
        options.Validate();
    }

    [Fact]
    public void Sizes_in_a_json_config_may_be_written_as_people_write_them()
    {
        var options = ConfigFile.Parse<FrameOptions>("""{ "targetFrameBytes": "1MiB", "maxFrameRawBytes": "32 MiB" }""");
        Assert.Equal(1 << 20, options.TargetFrameBytes);
        Assert.Equal(32 << 20, options.MaxFrameRawBytes);
        var ex = Assert.Throws<OptionsException>(() => ConfigFile.Parse<FrameOptions>("""{ "targetFrameBytes": "lots" }"""));
        Assert.Contains("targetFrameBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_is_cut_by_size_or_by_the_age_of_its_oldest_record()
    {
        var options = new FrameOptions { TargetFrameBytes = 1000, MaxFrameDelay = TimeSpan.FromMilliseconds(20) };
        Assert.False(options.ShouldCut(0, 0, TimeSpan.FromSeconds(1)));
        Assert.False(options.ShouldCut(999, 3, TimeSpan.FromMilliseconds(19)));
        Assert.True(options.ShouldCut(1000, 3, TimeSpan.Zero));
        Assert.True(options.ShouldCut(10, 1, TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void The_encoder_refuses_a_batch_with_a_seq_gap_or_over_the_limits()
    {
        using var encoder = new FrameEncoder(new FrameOptions { MaxFrameRawBytes = 4096, TargetFrameBytes = 1024 });
        var records = FrameTestData.Records(1, 3);
        records[2] = records[2] with { Seq = 9 };
        Assert.Throws<ArgumentException>(() => FrameTestData.Encode(encoder, records));
        Assert.Throws<ArgumentException>(() => FrameTestData.Encode(encoder, []));
        Assert.Throws<ArgumentException>(() => FrameTestData.Encode(encoder, FrameTestData.Records(1, 200)));
    }
}
