using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaSync.Engine.Link;

/// <summary>
/// The target side of a link: listens, authenticates each connection, lets one source at a time
/// feed the target queue, appends only the records that continue the queue's seq, and acknowledges
/// only what a commit made durable. A bad connection is closed with a logged reason; the listener
/// keeps serving the others.
/// </summary>
public sealed partial class LinkReceiver : IAsyncDisposable
{
    private readonly DiskQueue _target;
    private readonly LinkReceiverOptions _options;
    private readonly LinkKey _key;
    private readonly ILogger _logger;
    private readonly LinkEndpoint _listen;
    private readonly X509Certificate2? _certificate;
    private readonly object _gate = new();
    private readonly List<Task> _handlers = [];
    private readonly CancellationTokenSource _disposed = new();
    private Socket? _listener;
    private ActiveSession? _active;
    private LinkStatus _status = new() { State = LinkState.Idle };
    private long _wireBytesDone;
    private int _pending;
    private int _refused;

    /// <summary>
    /// Creates a receiver that reports what it does as lines of text to <paramref name="log"/>, for hosts
    /// that show text (the cmdlets' Verbose stream) and should not depend on a logging library.
    /// </summary>
    public static LinkReceiver WithLog(DiskQueue target, LinkReceiverOptions options, LinkKey key, IProgress<string>? log) =>
        new(target, options, key, log is null ? null : new Sync.ProgressLogger(log, string.Empty));

    /// <summary>Creates a receiver for <paramref name="target"/>; call <see cref="Start"/> or <see cref="RunAsync"/>.</summary>
    /// <exception cref="OptionsException">An option is invalid or the TLS certificate cannot be loaded.</exception>
    public LinkReceiver(DiskQueue target, LinkReceiverOptions options, LinkKey key, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(key);
        options.Validate();
        _target = target;
        _options = options;
        _key = key;
        _logger = logger ?? NullLogger.Instance;
        _listen = LinkEndpoint.Parse(options.Listen, "listen");
        _certificate = options.Tls is { } tls ? LinkTls.LoadServerCertificate(tls) : null;
    }

    /// <summary>The address actually listened on (useful with port 0); null before <see cref="Start"/>.</summary>
    public IPEndPoint? LocalEndpoint => _listener?.LocalEndPoint as IPEndPoint;

    /// <summary>Connections closed for a failure (bad input, failed authentication, a busy queue, a dead peer) so far.</summary>
    public int FailedConnections => Volatile.Read(ref _refused);

    /// <summary>A snapshot of the receiver's numbers and state.</summary>
    public LinkStatus Status
    {
        get
        {
            lock (_gate)
            {
                var live = _active?.Connection.BytesReceived ?? 0;
                return _status with { WireBytes = _wireBytesDone + live, Failures = Volatile.Read(ref _refused) };
            }
        }
    }

    /// <summary>Binds the listening socket, so the port is known and sources can connect, without accepting yet.</summary>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    public void Start()
    {
        if (_listener is not null)
        {
            return;
        }

        var address = _listen.Host is "" or "*" or "0.0.0.0" ? IPAddress.Any
            : IPAddress.TryParse(_listen.Host, out var ip) ? ip
            : Dns.GetHostAddresses(_listen.Host)[0];
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address, _listen.Port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        Update(s => s with { State = LinkState.Connecting });
    }

    /// <summary>Accepts and serves connections until <paramref name="ct"/> is cancelled, then closes them all.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        Start();
        var listener = _listener!;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token);
        var token = stopping.Token;
        using var registration = token.Register(() => listener.Dispose());
        try
        {
            while (!token.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptAsync(token);
                }
                catch (Exception ex) when (token.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    break;
                }
                catch (SocketException ex)
                {
                    // A failed accept (out of file handles, a connection reset before it was
                    // accepted) must not stop the listener: note it and keep serving.
                    LogClosed(_logger, "?", LinkFailure.Network, $"accepting a connection failed: {ex.Message}", null);
                    await Task.Delay(100, CancellationToken.None);
                    continue;
                }

                socket.NoDelay = true;
                if (Interlocked.Increment(ref _pending) > _options.MaxPendingConnections)
                {
                    Interlocked.Decrement(ref _pending);
                    Interlocked.Increment(ref _refused);
                    LogClosed(_logger, socket.RemoteEndPoint?.ToString() ?? "?", LinkFailure.Busy, "too many connections being handshaken at once", null);
                    socket.Dispose();
                    continue;
                }

                var handler = HandleAsync(socket, token);
                lock (_gate)
                {
                    _handlers.RemoveAll(t => t.IsCompleted);
                    _handlers.Add(handler);
                }
            }
        }
        finally
        {
            Task[] handlers;
            lock (_gate)
            {
                handlers = [.. _handlers];
            }

            await Task.WhenAll(handlers);
            await DisposeAsync();
        }
    }

    /// <summary>Stops listening and ends open connections (as cancelling <see cref="RunAsync"/>'s token does).</summary>
    public ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        _listener?.Dispose();
        Update(s => s with { State = LinkState.Stopped, Peer = null });
        return ValueTask.CompletedTask;
    }

    private void Update(Func<LinkStatus, LinkStatus> change)
    {
        lock (_gate)
        {
            _status = change(_status);
        }
    }

    /// <summary>The connection currently feeding the queue, and how to end it when its source reconnects.</summary>
    private sealed class ActiveSession(string sourceId, long generation, LinkConnection connection)
    {
        public string SourceId { get; } = sourceId;

        public long Generation { get; } = generation;

        public LinkConnection Connection { get; } = connection;

        /// <summary>Cancelled when a newer connection replaces this one, so an append waiting for room gives up too.</summary>
        public CancellationTokenSource Replaced { get; } = new();

        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static readonly Action<ILogger, string, LinkFailure, string, Exception?> LogClosed =
        LoggerMessage.Define<string, LinkFailure, string>(LogLevel.Warning, new EventId(10, "LinkConnectionClosed"), "Closed connection from {Peer} ({Failure}): {Reason}");

    private static readonly Action<ILogger, string, string, long, Exception?> LogAccepted =
        LoggerMessage.Define<string, string, long>(LogLevel.Information, new EventId(11, "LinkSourceConnected"), "Source '{SourceId}' connected from {Peer}; it resumes at seq {Seq}");

    private static readonly Action<ILogger, string, string, Exception?> LogGoodbye =
        LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(12, "LinkSourceLeft"), "Source at {Peer} closed the link: {Reason}");
}
