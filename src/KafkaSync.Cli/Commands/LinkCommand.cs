using System.CommandLine;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Cli.Commands;

/// <summary>
/// `kafkasync link send|receive`: the queue-to-queue link on its own, for troubleshooting a
/// connection without Kafka on either side. The key comes from a file or an environment
/// variable, never from the command line.
/// </summary>
internal static class LinkCommand
{
    public static Command Create()
    {
        var link = new Command("link", "Move a disk queue to another over the authenticated, resumable link (troubleshooting; the agents do this themselves).");
        link.Subcommands.Add(CreateSend());
        link.Subcommands.Add(CreateReceive());
        link.Subcommands.Add(CreateNewKey());
        return link;
    }

    private static Command CreateNewKey()
    {
        var output = new Option<string?>("--out", "-o") { Description = "Write the key to this file, readable by its owner only (mode 0600). Without it the key goes to standard output." };
        var force = new Option<bool>("--force") { Description = "Replace an existing key file (every peer then needs the new key)." };
        var command = new Command("new-key", "Make a pre-shared link key: 32 random bytes from the system's cryptographic source, as base64.") { output, force };
        command.SetAction((parse, cancellation) => CliRun.GuardAsync(
            async _ =>
            {
                if (parse.GetValue(output) is { } path)
                {
                    LinkKey.WriteNewKeyFile(path, parse.GetValue(force));
                    await Console.Error.WriteLineAsync($"kafkasync: wrote a new link key to {Path.GetFullPath(path)} (owner read/write only); give the same file to both ends (--key-file, linkKeyFile).");
                }
                else
                {
                    await Console.Out.WriteLineAsync(LinkKey.Generate());
                }

                return CliRun.Ok;
            },
            cancellation));
        return command;
    }

    private static Command CreateSend()
    {
        var common = new CommonOptions();
        var target = new Option<string?>("--target") { Description = "The receiver's host:port." };
        var sourceId = new Option<string?>("--source-id") { Description = "Name of this source at the target (default: machine name and queue path)." };
        var level = new Option<int?>("--level") { Description = "zstd level (1-19)." };
        var adaptive = new Option<bool>("--adaptive") { Description = "Raise the level while the link is the bottleneck, lower it while compression is." };
        var mbit = new Option<double?>("--link-mbit") { Description = "Bandwidth cap in Mbit/s (token bucket)." };
        var pins = new Option<string[]>("--tls-pin") { Description = "Use TLS and accept only a target certificate with this SHA-256 thumbprint (repeatable).", AllowMultipleArgumentsPerToken = true };
        var tls = new Option<bool>("--tls") { Description = "Use TLS, trusting the system's roots (or --tls-pin)." };
        var untilCaughtUp = new Option<bool>("--until-caught-up") { Description = "Exit once every record in the source queue at start is acknowledged, instead of running until stopped." };
        var command = new Command("send", "Send a source queue to a listening receiver, resuming at the receiver's last durable seq.")
        {
            common.Queue, target, common.KeyFile, common.KeyEnv, common.Config, sourceId, level, adaptive, mbit, tls, pins, untilCaughtUp,
        };
        command.SetAction((parse, cancellation) => CliRun.GuardAsync(
            async token =>
            {
                var options = parse.GetValue(common.Config) is { } config
                    ? ConfigFile.Load<LinkSenderOptions>(config)
                    : new LinkSenderOptions { Target = parse.GetValue(target) ?? throw new OptionsException("target", "give --target host:port or a --config file with a target.") };
                options = options with
                {
                    Target = parse.GetValue(target) ?? options.Target,
                    SourceId = parse.GetValue(sourceId) ?? options.SourceId,
                    Frames = parse.GetValue(level) is { } l ? options.Frames with { Level = l } : options.Frames,
                    AdaptiveLevel = parse.GetValue(adaptive) || options.AdaptiveLevel,
                    BandwidthBytesPerSecond = parse.GetValue(mbit) is { } m ? (long)(m * 1_000_000 / 8) : options.BandwidthBytesPerSecond,
                };
                var pinned = parse.GetValue(pins) ?? [];
                if (parse.GetValue(tls) || pinned.Length > 0)
                {
                    options = options with { Tls = (options.Tls ?? new LinkTlsOptions()) with { PinnedSha256 = pinned.Length > 0 ? pinned : options.Tls?.PinnedSha256 ?? [] } };
                }

                options.Validate();
                var key = common.ReadKey(parse);
                var path = parse.GetValue(common.Queue)!;
                await using var queue = DiskQueue.Open(new DiskQueueOptions { Path = path });
                var sender = new LinkSender(queue, options, key, new StderrLogger());
                var name = options.SourceId ?? QueueFolderName(path);
                return await CliRun.RegisteredAsync(AgentKind.Sender, name, path, null, token, async stopOrRequest =>
                {
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopOrRequest);
                    var run = sender.RunAsync(stop.Token);
                    if (parse.GetValue(untilCaughtUp))
                    {
                        var last = queue.DurableSeq;
                        await Task.WhenAny(run, sender.WaitForAckedAsync(last, stop.Token));
                        await stop.CancelAsync();
                    }

                    return await FinishAsync(run, () => sender.Status);
                });
            },
            cancellation));
        return command;
    }

    private static Command CreateReceive()
    {
        var common = new CommonOptions();
        var listen = new Option<string?>("--listen") { Description = "Address and port to listen on, e.g. 0.0.0.0:7070." };
        var certificate = new Option<string?>("--tls-cert") { Description = "Use TLS with this certificate file (PEM or PFX)." };
        var certificateKey = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert, when the certificate file holds none." };
        var command = new Command("receive", "Listen for one source at a time and append what it sends to a target queue, acknowledging only durable records.")
        {
            common.Queue, listen, common.KeyFile, common.KeyEnv, common.Config, certificate, certificateKey,
        };
        command.SetAction((parse, cancellation) => CliRun.GuardAsync(
            async token =>
            {
                var options = parse.GetValue(common.Config) is { } config
                    ? ConfigFile.Load<LinkReceiverOptions>(config)
                    : new LinkReceiverOptions { Listen = parse.GetValue(listen) ?? throw new OptionsException("listen", "give --listen host:port or a --config file with listen.") };
                options = options with { Listen = parse.GetValue(listen) ?? options.Listen };
                if (parse.GetValue(certificate) is { } cert)
                {
                    options = options with { Tls = new LinkTlsOptions { CertificatePath = cert, KeyPath = parse.GetValue(certificateKey) } };
                }

                options.Validate();
                var key = common.ReadKey(parse);
                var path = parse.GetValue(common.Queue)!;
                await using var queue = DiskQueue.Open(new DiskQueueOptions { Path = path });
                await using var receiver = new LinkReceiver(queue, options, key, new StderrLogger());
                receiver.Start();
                await Console.Error.WriteLineAsync($"kafkasync: listening on {receiver.LocalEndpoint}");
                return await CliRun.RegisteredAsync(AgentKind.Receiver, QueueFolderName(path), path, null, token, stopOrRequest =>
                    FinishAsync(receiver.RunAsync(stopOrRequest), () => receiver.Status));
            },
            cancellation));
        return command;
    }

    /// <summary>A link end's name among the running agents, as the cmdlets give it: its queue folder's name.</summary>
    private static string QueueFolderName(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));

    /// <summary>Waits for the run, prints the final status as JSON, and maps a link failure to an exit code.</summary>
    private static async Task<int> FinishAsync(Task run, Func<LinkStatus> status)
    {
        try
        {
            await run;
            CliRun.WriteJson(status());
            return CliRun.Ok;
        }
        catch (LinkException ex)
        {
            await Console.Error.WriteLineAsync($"kafkasync: link failed ({ex.Failure}): {ex.Message}");
            CliRun.WriteJson(status());
            return CliRun.Failed;
        }
    }

    /// <summary>The options both directions share.</summary>
    private sealed class CommonOptions
    {
        public Option<string> Queue { get; } = new("--queue") { Description = "Folder of the disk queue.", Required = true };

        public Option<string?> KeyFile { get; } = new("--key-file") { Description = "File holding the pre-shared key (at least 16 bytes)." };

        public Option<string?> KeyEnv { get; } = new("--key-env") { Description = "Environment variable holding the pre-shared key." };

        public Option<string?> Config { get; } = new("--config") { Description = "JSON file with the link options; parameters override it." };

        public LinkKey ReadKey(ParseResult parse)
        {
            var file = parse.GetValue(KeyFile);
            var variable = parse.GetValue(KeyEnv);
            return (file, variable) switch
            {
                (not null, null) => LinkKey.FromFile(file),
                (null, not null) => LinkKey.FromEnvironment(variable),
                (not null, not null) => throw new OptionsException("key", "give either --key-file or --key-env, not both."),
                _ => throw new OptionsException("key", "give --key-file FILE or --key-env VARIABLE; the key is never taken from the command line itself."),
            };
        }
    }
}
