using System.Security.Cryptography;
using System.Text;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Link;

/// <summary>
/// The pre-shared key both ends prove they hold. It is read from a file, an environment variable
/// or handed over as bytes (the cmdlets take it from a PSCredential); it is never taken from a
/// command-line argument, where every user of the machine could read it, and never sent.
/// </summary>
public sealed class LinkKey
{
    /// <summary>
    /// Shortest key accepted, in bytes: a recorded handshake lets anyone guess offline, so the key
    /// must carry about 256 bits when random (32 bytes), or be a long passphrase.
    /// </summary>
    public const int MinLength = 32;

    /// <summary>Fewest different byte values a key must use: keys like "aaaa…" or "0101…" are refused.</summary>
    public const int MinDistinctBytes = 12;

    /// <summary>Random bytes in a generated key (<see cref="Generate"/>), written as base64.</summary>
    public const int GeneratedBytes = 32;

    /// <summary>Longest key accepted, in bytes.</summary>
    public const int MaxLength = 4096;

    private readonly byte[] _key;

    private LinkKey(byte[] key, string source)
    {
        _key = key;
        Source = source;
    }

    /// <summary>Where the key came from, for messages (never the key itself).</summary>
    public string Source { get; }

    /// <summary>Wraps key bytes (copied).</summary>
    public static LinkKey FromBytes(ReadOnlySpan<byte> key, string source = "key")
    {
        if (key.Length < MinLength)
        {
            throw new OptionsException(source, $"the key is {key.Length} bytes; use at least {MinLength} random bytes (e.g. `head -c 32 /dev/urandom | base64`).");
        }

        if (key.Length > MaxLength)
        {
            throw new OptionsException(source, $"the key is {key.Length} bytes; use at most {MaxLength}.");
        }

        if (WeaknessOf(key) is { } weakness)
        {
            throw new OptionsException(source, $"the key is too easy to guess: {weakness}. Make a random one with `kafkasync link new-key --out FILE` or New-KafkaSyncLinkKey.");
        }

        return new LinkKey(key.ToArray(), source);
    }

    /// <summary>
    /// A new key: <see cref="GeneratedBytes"/> bytes from the operating system's cryptographic random
    /// source, as base64 text (so it survives copying into a file, an environment variable or a
    /// credential prompt). 44 characters.
    /// </summary>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedBytes));

    /// <summary>
    /// Why a key of acceptable length is still obviously weak, or null. Catches what people type
    /// when asked for a secret: one character repeated, a short pattern repeated, a run such as
    /// "abcdef…" or "123456…". It cannot prove a key random; it refuses the keys that are surely not.
    /// </summary>
    private static string? WeaknessOf(ReadOnlySpan<byte> key)
    {
        Span<bool> seen = stackalloc bool[256];
        var distinct = 0;
        foreach (var b in key)
        {
            if (!seen[b])
            {
                seen[b] = true;
                distinct++;
            }
        }

        if (distinct < MinDistinctBytes)
        {
            return $"it uses only {distinct} different characters (at least {MinDistinctBytes} are needed)";
        }

        for (var period = 1; period <= 16 && period * 2 <= key.Length; period++)
        {
            if (key[period..].SequenceEqual(key[..^period]))
            {
                return $"it repeats a pattern of {period} characters";
            }
        }

        var steady = 0;
        for (var i = 2; i < key.Length; i++)
        {
            if (key[i] - key[i - 1] == key[i - 1] - key[i - 2])
            {
                steady++;
            }
        }

        if (steady * 2 > key.Length)
        {
            return "it is mostly a run of evenly spaced characters (like \"abcdef\" or \"123456\")";
        }

        return null;
    }

    /// <summary>
    /// Writes a new key (<see cref="Generate"/>) to <paramref name="path"/>, readable and writable by
    /// the owner only (mode 0600 on Unix; on Windows the file inherits its folder's permissions).
    /// The file is created with those permissions, so the key is never readable by others, not even
    /// for a moment; an existing file is replaced only when <paramref name="overwrite"/> is true.
    /// </summary>
    /// <exception cref="OptionsException">The file exists (and <paramref name="overwrite"/> is false) or cannot be written.</exception>
    public static void WriteNewKeyFile(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full) && !overwrite)
        {
            throw new OptionsException("keyFile", $"'{full}' already exists; choose another path, or overwrite it on purpose (--force, -Force): every peer using the old key must then get the new one.");
        }

        var temp = full + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(temp, options))
            {
                file.Write(Encoding.ASCII.GetBytes(Generate() + "\n"));
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new OptionsException("keyFile", $"cannot write the key file '{full}': {ex.Message}");
        }
    }

    /// <summary>Uses a text secret (UTF-8), e.g. a PSCredential's password.</summary>
    public static LinkKey FromText(string secret, string source = "key")
    {
        ArgumentNullException.ThrowIfNull(secret);
        return FromBytes(Encoding.UTF8.GetBytes(secret), source);
    }

    /// <summary>Reads the key file: its bytes, less one trailing line break, so `echo secret > file` works.</summary>
    public static LinkKey FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException("keyFile", $"cannot read the key file '{path}': {ex.Message}");
        }

        var length = bytes.Length;
        if (length > 0 && bytes[length - 1] == '\n')
        {
            length--;
            if (length > 0 && bytes[length - 1] == '\r')
            {
                length--;
            }
        }

        try
        {
            return FromBytes(bytes.AsSpan(0, length), $"keyFile '{path}'");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Reads the key from an environment variable (UTF-8 text).</summary>
    public static LinkKey FromEnvironment(string variable)
    {
        ArgumentException.ThrowIfNullOrEmpty(variable);
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            throw new OptionsException("keyEnv", $"the environment variable '{variable}' is not set or empty; put the pre-shared key in it.");
        }

        return FromText(value, $"keyEnv '{variable}'");
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/> under this key.</summary>
    internal byte[] Mac(ReadOnlySpan<byte> data) => HMACSHA256.HashData(_key, data);

    /// <inheritdoc/>
    public override string ToString() => $"LinkKey({Source})";
}
