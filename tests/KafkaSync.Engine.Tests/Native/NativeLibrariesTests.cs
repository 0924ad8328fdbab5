using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Native;

namespace KafkaSync.Engine.Tests.Native;

public sealed class NativeLibrariesTests
{
    [Fact]
    public void This_process_maps_the_bundled_librdkafka_and_no_other()
    {
        using var cluster = new EmbeddedKafka(1);
        var mapped = File.ReadLines("/proc/self/maps")
            .Where(line => line.Contains("rdkafka", StringComparison.Ordinal))
            .Select(line => line[line.IndexOf('/', StringComparison.Ordinal)..])
            .Distinct()
            .ToList();
        Assert.Equal([NativeLibraries.RdkafkaPath], mapped);
    }

    [Theory]
    [InlineData("linux-musl-x64")]
    [InlineData("win-arm64")]
    [InlineData("freebsd-x64")]
    public void A_platform_without_a_bundled_librdkafka_gets_one_error_naming_it(string platform)
    {
        var error = Assert.Throws<PlatformNotSupportedException>(() => NativeLibraries.RdkafkaFile(platform));
        Assert.Contains($"({platform})", error.Message, StringComparison.Ordinal);
        Assert.Contains("linux-x64, linux-arm64, win-x64, osx-x64, osx-arm64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linux-x64", "centos8-librdkafka.so")]
    [InlineData("win-x64", "librdkafka.dll")]
    [InlineData("osx-arm64", "librdkafka.dylib")]
    public void Each_shipped_platform_has_its_file(string platform, string file) =>
        Assert.Equal(file, NativeLibraries.RdkafkaFile(platform));
}
