using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Link;

/// <summary>Wraps a connection in TLS for either side, with certificate pinning on the source side.</summary>
internal static class LinkTls
{
    public static X509Certificate2 LoadServerCertificate(LinkTlsOptions options)
    {
        var path = options.CertificatePath!;
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                return new X509Certificate2(path, (string?)null, X509KeyStorageFlags.EphemeralKeySet);
            }

            return X509Certificate2.CreateFromPemFile(path, options.KeyPath);
        }
        catch (CryptographicException ex)
        {
            throw new OptionsException("tls.certificatePath", $"cannot load a certificate with its private key from '{path}': {ex.Message}");
        }
    }

    public static async Task<SslStream> AuthenticateServerAsync(Stream inner, X509Certificate2 certificate, CancellationToken ct)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ClientCertificateRequired = false,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, ct);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new LinkException(LinkFailure.Tls, $"TLS negotiation failed: {ex.Message}", ex);
        }
    }

    public static async Task<SslStream> AuthenticateClientAsync(Stream inner, LinkTlsOptions options, string host, CancellationToken ct)
    {
        var pins = options.PinnedSha256.Select(NormalizeThumbprint).OfType<string>().ToHashSet(StringComparer.Ordinal);
        string? mismatch = null;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = options.ServerName ?? host,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (pins.Count == 0)
                    {
                        mismatch = errors == SslPolicyErrors.None ? null : $"the target's certificate is not trusted ({errors}); pin its SHA-256 thumbprint or install its CA";
                        return mismatch is null;
                    }

                    var thumbprint = certificate is null ? "none" : Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
                    mismatch = pins.Contains(thumbprint) ? null : $"the target's certificate (SHA-256 {thumbprint}) matches no pinned thumbprint";
                    return mismatch is null;
                },
            }, ct);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new LinkException(LinkFailure.Tls, $"TLS negotiation failed: {mismatch ?? ex.Message}", ex);
        }
    }

    /// <summary>Upper-case hex of a thumbprint written with or without separators; null when it is not 32 bytes of hex.</summary>
    public static string? NormalizeThumbprint(string text)
    {
        var hex = new string(text.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
        var separatorsOnly = text.All(c => Uri.IsHexDigit(c) || c is ':' or ' ' or '-');
        return separatorsOnly && hex.Length == 64 ? hex : null;
    }
}
