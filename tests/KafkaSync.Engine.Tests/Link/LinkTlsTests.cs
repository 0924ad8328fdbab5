using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KafkaSync.Engine.Link;

namespace KafkaSync.Engine.Tests.Link;

public sealed class LinkTlsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ks-tls-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Tls_with_a_pinned_self_signed_certificate_carries_every_record()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture(ReceiverOptions(out var thumbprint));
        fx.StartReceiver();
        await fx.FillSourceAsync(1, 3_000, timeout.Token);

        var options = fx.SenderOptions(fx.ReceiverAddress) with
        {
            Tls = new LinkTlsOptions { PinnedSha256 = [string.Join(':', thumbprint.Chunk(2).Select(c => new string(c)))] },
        };
        var sender = new LinkSender(fx.Source, options, LinkFixture.Key);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var run = sender.RunAsync(stop.Token);
        await sender.WaitForAckedAsync(3_000, timeout.Token);
        await stop.CancelAsync();
        await run;
        fx.AssertSameRecords(3_000);
    }

    [Fact]
    public async Task A_certificate_matching_no_pin_stops_the_sender_before_any_record_is_sent()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture(ReceiverOptions(out _));
        fx.StartReceiver();
        await fx.FillSourceAsync(1, 100, timeout.Token);

        var options = fx.SenderOptions(fx.ReceiverAddress) with
        {
            Tls = new LinkTlsOptions { PinnedSha256 = [Convert.ToHexString(SHA256.HashData("some other certificate"u8))] },
        };
        var sender = new LinkSender(fx.Source, options, LinkFixture.Key);
        var ex = await Assert.ThrowsAsync<LinkException>(() => sender.RunAsync(timeout.Token));

        Assert.Equal(LinkFailure.Tls, ex.Failure);
        Assert.Contains("matches no pinned thumbprint", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, fx.Target.NextSeq);
    }

    [Fact]
    public async Task A_clear_text_source_is_refused_by_a_tls_target()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var fx = new LinkFixture(ReceiverOptions(out _));
        fx.StartReceiver();

        await using var client = await RawLinkClient.ConnectAsync(fx.ReceiverEndpoint, timeout.Token);
        await Assert.ThrowsAsync<LinkException>(() => client.AuthenticateAsync(LinkFixture.Key, timeout.Token));
        await fx.ReceiverLog.WaitForAsync(timeout.Token, "Closed connection", "TLS negotiation failed");
        Assert.Equal(1, fx.Target.NextSeq);
    }

    /// <summary>Receiver options with a fresh self-signed certificate written as PEM files; returns its SHA-256 thumbprint.</summary>
    private LinkReceiverOptions ReceiverOptions(out string thumbprint)
    {
        var folder = _folder;
        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kafkasync-target", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(folder, "target.crt");
        var keyPath = Path.Combine(folder, "target.key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        thumbprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        return new LinkReceiverOptions
        {
            Listen = "127.0.0.1:0",
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            HeartbeatTimeout = TimeSpan.FromMilliseconds(1500),
            HandshakeTimeout = TimeSpan.FromSeconds(2),
            Tls = new LinkTlsOptions { CertificatePath = certPath, KeyPath = keyPath },
        };
    }
}
