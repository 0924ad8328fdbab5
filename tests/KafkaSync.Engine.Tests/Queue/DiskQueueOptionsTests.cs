using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Queue;

public sealed class DiskQueueOptionsTests
{
    private static readonly string Example = Path.Combine(FindRoot(), "module", "examples", "queue.json");

    [Fact]
    public void The_shipped_example_config_loads_with_human_sizes_and_validates()
    {
        var options = ConfigFile.Load<DiskQueueOptions>(Example);
        options.Validate();
        Assert.Equal(64L << 20, options.SegmentBytes);
        Assert.Equal(8L << 30, options.CapacityBytes);
        Assert.Equal(FsyncPolicy.EachCommit, options.Fsync);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.FsyncInterval);
    }

    [Theory]
    [InlineData("""{ "path": "q", "segmentBytes": "lots" }""", "segmentBytes")]
    [InlineData("""{ "path": "q", "fsync": "sometimes" }""", "fsync")]
    [InlineData("""{ "path": "q", "segmentBytez": "1MiB" }""", "segmentBytez")]
    public void A_bad_field_in_a_config_is_named(string json, string field)
    {
        var ex = Assert.Throws<OptionsException>(() => ConfigFile.Parse<DiskQueueOptions>(json, "queue.json"));
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_still_work_for_sizes()
    {
        var options = ConfigFile.Parse<DiskQueueOptions>("""{ "path": "q", "segmentBytes": 1048576, "capacityBytes": "4MiB" }""");
        options.Validate();
        Assert.Equal(1L << 20, options.SegmentBytes);
        Assert.Equal(4L << 20, options.CapacityBytes);
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
