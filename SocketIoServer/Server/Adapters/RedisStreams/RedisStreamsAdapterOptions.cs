namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>
/// The options of npm <c>@socket.io/redis-streams-adapter</c> 0.3, with its defaults. Nodes of one cluster share
/// <see cref="StreamName"/>, <see cref="ChannelPrefix"/> and <see cref="SessionKeyPrefix"/>.
/// </summary>
public sealed class RedisStreamsAdapterOptions
{
    /// <summary>The stream every node appends to and reads (<c>streamName</c>). Default <c>socket.io</c>.</summary>
    public string StreamName { get; set; } = "socket.io";

    /// <summary>
    /// The prefix of the pub/sub channels of requests and responses (<c>channelPrefix</c>): <c>{prefix}#{nsp}#</c> for
    /// requests to every node (its subscribers are the server count), <c>{prefix}#{nsp}#{uid}#</c> for the answers
    /// to one node. Default <c>socket.io</c>.
    /// </summary>
    public string ChannelPrefix { get; set; } = "socket.io";

    /// <summary>The approximate length the stream is trimmed to on each append (<c>maxLen</c>, <c>XADD MAXLEN ~</c>). Default 10,000.</summary>
    public int MaxLen { get; set; } = 10_000;

    /// <summary>How many entries one read takes at most (<c>readCount</c>). Default 100.</summary>
    public int ReadCount { get; set; } = 100;

    /// <summary>How long one blocking read waits for new entries (<c>blockTimeInMs</c>). Default 5 s.</summary>
    public TimeSpan BlockTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The key prefix of saved sessions (<c>sessionKeyPrefix</c>): <c>{prefix}{pid}</c>. Default <c>sio:session:</c>.</summary>
    public string SessionKeyPrefix { get; set; } = "sio:session:";

    /// <summary>
    /// Whether stream entries are always JSON, binary included as base64 text (<c>onlyPlaintext</c>). Default false:
    /// an entry holding binary is MessagePack.
    /// </summary>
    public bool OnlyPlaintext { get; set; }

    /// <summary>How long a request to the other nodes (fetch sockets, server-side emit) waits for their answers. Default 5 s, as Node.js.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the sessions of connected sockets are saved (when they changed), so that the clients of a node that
    /// is killed can recover on another; <see cref="TimeSpan.Zero"/> saves a session only when its connection drops,
    /// as Node.js does. Default 1 s. (A C# addition: Node.js nodes have no such option.)
    /// </summary>
    public TimeSpan SessionSnapshotInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        if (string.IsNullOrEmpty(StreamName)) throw new ArgumentException("RedisStreamsAdapterOptions.StreamName must not be empty.");
        if (string.IsNullOrEmpty(ChannelPrefix)) throw new ArgumentException("RedisStreamsAdapterOptions.ChannelPrefix must not be empty.");
        if (string.IsNullOrEmpty(SessionKeyPrefix)) throw new ArgumentException("RedisStreamsAdapterOptions.SessionKeyPrefix must not be empty.");
        if (MaxLen < 1) throw new ArgumentException($"RedisStreamsAdapterOptions.MaxLen must be at least 1 (was {MaxLen}).");
        if (ReadCount < 1) throw new ArgumentException($"RedisStreamsAdapterOptions.ReadCount must be at least 1 (was {ReadCount}).");
        if (BlockTime < TimeSpan.FromMilliseconds(1) || BlockTime > TimeSpan.FromMinutes(1))
            throw new ArgumentException($"RedisStreamsAdapterOptions.BlockTime must be between 1 ms and 1 minute (was {BlockTime}).");
        if (SessionSnapshotInterval < TimeSpan.Zero)
            throw new ArgumentException($"RedisStreamsAdapterOptions.SessionSnapshotInterval must not be negative (was {SessionSnapshotInterval}).");
        if (RequestsTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"RedisStreamsAdapterOptions.RequestsTimeout must be positive (was {RequestsTimeout}).");
    }
}
