using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Link;

/// <summary>
/// Optional TLS around the link. The target presents a certificate; the source checks it either
/// against pinned SHA-256 thumbprints (self-signed certificates, no CA needed) or, without pins,
/// against the system's trusted roots and <see cref="ServerName"/>.
/// </summary>
public sealed record LinkTlsOptions
{
    /// <summary>Target side: certificate file, PEM (with <see cref="KeyPath"/> or an embedded key) or PFX/PKCS#12 without a password.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>Target side: PEM private key file, when the certificate file holds none.</summary>
    public string? KeyPath { get; init; }

    /// <summary>Source side: SHA-256 thumbprints (hex, colons or spaces allowed) of the target certificates to accept. Empty: use system trust.</summary>
    public IReadOnlyList<string> PinnedSha256 { get; init; } = [];

    /// <summary>Source side: the name the target's certificate must carry when no pin is set. Default: the host of the endpoint.</summary>
    public string? ServerName { get; init; }

    /// <summary>Checks the fields for the given side; throws <see cref="OptionsException"/> naming the field.</summary>
    public void Validate(bool serverSide)
    {
        if (serverSide)
        {
            if (string.IsNullOrWhiteSpace(CertificatePath))
            {
                throw new OptionsException("tls.certificatePath", "TLS on the receiving side needs a certificate file (PEM or PFX).");
            }

            if (!File.Exists(CertificatePath))
            {
                throw new OptionsException("tls.certificatePath", $"'{CertificatePath}' does not exist.");
            }

            if (KeyPath is not null && !File.Exists(KeyPath))
            {
                throw new OptionsException("tls.keyPath", $"'{KeyPath}' does not exist.");
            }
        }

        foreach (var pin in PinnedSha256)
        {
            if (LinkTls.NormalizeThumbprint(pin) is null)
            {
                throw new OptionsException("tls.pinnedSha256", $"'{pin}' is not a SHA-256 thumbprint; give 64 hex digits (colons allowed).");
            }
        }
    }
}
