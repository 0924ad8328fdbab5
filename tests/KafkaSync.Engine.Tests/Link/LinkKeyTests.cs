using System.Text;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;

namespace KafkaSync.Engine.Tests.Link;

/// <summary>Link keys: long enough, not obviously guessable, and easy to make well.</summary>
public sealed class LinkKeyTests
{
    [Theory]
    [InlineData("aaaaaaaaaaaaaaaa", "at least 32")]
    [InlineData("0123456789abcdefghijklmnopqrstu", "at least 32")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "different characters")]
    [InlineData("passwordpasswordpasswordpassword", "different characters")]
    [InlineData("abc123XYZ!defQRSabc123XYZ!defQRSabc123XY", "repeats a pattern of 16")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEF", "evenly spaced")]
    [InlineData("0123456789:;<=>?@ABCDEFGHIJKLMNOP", "evenly spaced")]
    public void An_obviously_weak_key_is_refused_saying_why_and_how_to_make_a_good_one(string key, string why)
    {
        var ex = Assert.Throws<OptionsException>(() => LinkKey.FromText(key, "keyFile 'x'"));
        Assert.Equal("keyFile 'x'", ex.Field);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        if (key.Length >= LinkKey.MinLength)
        {
            Assert.Contains("kafkasync link new-key", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("correct horse battery staple 42, link")]
    [InlineData("q7Vx2LmP9sKd4RfTz8WnY3bHc6JgE1uA")]
    public void A_long_varied_passphrase_or_random_key_is_accepted(string key) =>
        Assert.Equal("key", LinkKey.FromText(key).Source);

    [Fact]
    public void Generated_keys_are_32_random_bytes_in_base64_and_accepted()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => LinkKey.Generate()).ToList();
        Assert.Equal(200, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k =>
        {
            Assert.Equal(32, Convert.FromBase64String(k).Length);
            LinkKey.FromText(k);
        });
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_new_key_file_is_readable_by_its_owner_only_and_never_silently_replaced()
    {
        var folder = Directory.CreateTempSubdirectory("ks-key-").FullName;
        try
        {
            var path = Path.Combine(folder, "link.key");
            LinkKey.WriteNewKeyFile(path, overwrite: false);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            var first = File.ReadAllText(path);
            Assert.Equal(45, first.Length);
            LinkKey.FromFile(path);

            var ex = Assert.Throws<OptionsException>(() => LinkKey.WriteNewKeyFile(path, overwrite: false));
            Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
            Assert.Equal(first, File.ReadAllText(path));

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            LinkKey.WriteNewKeyFile(path, overwrite: true);
            Assert.NotEqual(first, File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Single(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Sixteen_bytes_that_used_to_pass_are_refused_now() =>
        Assert.Throws<OptionsException>(() => LinkKey.FromBytes(Encoding.ASCII.GetBytes(new string('a', 16))));
}
