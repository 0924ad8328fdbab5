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
    /// <summary>Shortest key accepted, in bytes: shorter secrets can be guessed offline from a recorded handshake.</summary>
    public const int MinLength = 16;

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

        return new LinkKey(key.ToArray(), source);
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
