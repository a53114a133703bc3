using SocketIoServer.Engine;
using SocketIoServer.Parser;

namespace SocketIoServer.Server;

/// <summary>Settings of the Socket.IO server. Defaults are those of the Node.js <c>socket.io</c> 4.8 server.</summary>
public sealed class SocketIoOptions
{
    /// <summary>Path the server answers on. Default <c>/socket.io</c>.</summary>
    public string Path { get; set; } = "/socket.io";

    /// <summary>The Engine.IO settings (ping, buffer size, transports, CORS...).</summary>
    public EngineOptions Engine { get; set; } = new();

    /// <summary>How long a connection may stay without joining any namespace. Default 45 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Most binary attachments one packet may carry. Default 10, as socket.io-parser.</summary>
    public int MaxAttachments { get; set; } = 10;

    /// <summary>Remove a dynamic child namespace once its last socket left. Default false.</summary>
    public bool CleanupEmptyChildNamespaces { get; set; }

    /// <summary>
    /// Serve the browser client bundle (<c>/socket.io/socket.io.js</c>, <c>.min.js</c>, <c>.esm.min.js</c>,
    /// <c>.msgpack.min.js</c> and their source maps) from the npm <c>socket.io-client</c> package, when it is
    /// installed. Default true, as Node.js.
    /// </summary>
    public bool ServeClient { get; set; } = true;

    /// <summary>
    /// The <c>dist</c> directory of the <c>socket.io-client</c> package to serve. Default: the first
    /// <c>node_modules/socket.io-client/dist</c> found from the current directory or the app's directory upwards.
    /// </summary>
    public string? ClientBundleDirectory { get; set; }

    /// <summary>
    /// The packet format (Node.js's <c>parser</c> option): <see cref="JsonPacketParser"/> by default, as the npm
    /// <c>socket.io-parser</c>; every client must use the same one.
    /// </summary>
    public IPacketParser Parser { get; set; } = JsonPacketParser.Instance;

    /// <summary>Connection state recovery (Node.js's <c>connectionStateRecovery</c>); null (the default) = off.</summary>
    public Recovery.ConnectionStateRecoveryOptions? ConnectionStateRecovery { get; set; }

    /// <summary>Makes the adapter of each namespace; default the in-memory adapter.</summary>
    public Func<Namespace, IAdapter>? AdapterFactory { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrEmpty(Path) || Path[0] != '/') throw new InvalidOperationException("SocketIoOptions.Path must start with '/'.");
        if (ConnectTimeout <= TimeSpan.Zero) throw new InvalidOperationException("SocketIoOptions.ConnectTimeout must be positive.");
        if (Parser is null) throw new InvalidOperationException("SocketIoOptions.Parser must be set.");
        if (MaxAttachments < 0) throw new InvalidOperationException("SocketIoOptions.MaxAttachments must not be negative.");
        ConnectionStateRecovery?.Validate();
        Engine.Validate();
    }
}
