using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Parser.MsgPack;
using StackExchange.Redis;

namespace SocketIoServer.Server.Adapters.Redis;

/// <summary>
/// The adapter of npm <c>@socket.io/redis-adapter</c> 8.x, on the same channels and with the same MessagePack
/// messages, so that C# and Node.js nodes share one cluster: a broadcast is published on
/// <c>{key}#{nsp}#</c> (or <c>{key}#{nsp}#{room}#</c> for one room) as <c>[uid, packet, {rooms, except, flags}]</c>
/// and every other node delivers it to its own sockets; requests (fetch sockets, join, leave, disconnect, server-side
/// emit, broadcasts with acknowledgements) go on <c>{key}-request#{nsp}#</c> and their answers on
/// <c>{key}-response#{nsp}#</c>; the server count is the number of subscribers of the request channel. Rooms live on
/// each node (the in-memory adapter underneath).
/// </summary>
public partial class RedisAdapter : InMemoryAdapter
{
    private readonly RedisAdapterFactory _factory;
    private readonly string _uid = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
    private readonly RedisChannel _broadcastPattern;

    public RedisAdapter(Namespace nsp, RedisAdapterFactory factory) : base(nsp)
    {
        _factory = factory;
        var prefix = factory.Options.Key;
        BroadcastChannel = prefix + "#" + nsp.Name + "#";
        RequestChannel = prefix + "-request#" + nsp.Name + "#";
        ResponseChannel = prefix + "-response#" + nsp.Name + "#";
        _broadcastPattern = RedisChannel.Pattern(BroadcastChannel + "*");
    }

    /// <summary>This node's id in the cluster (6 characters, as <c>uid2(6)</c>).</summary>
    public string Uid => _uid;

    internal string BroadcastChannel { get; }

    internal string RequestChannel { get; }

    internal string ResponseChannel { get; }

    private ISubscriber Subscriber => _factory.Redis.GetSubscriber();

    public override async Task InitAsync(CancellationToken cancellationToken)
    {
        // a message queue, not a handler: StackExchange.Redis runs handlers concurrently, and the broadcasts of one
        // node must reach this node's sockets in the order they were sent, as with Node.js
        (await Subscriber.SubscribeAsync(_broadcastPattern)).OnMessage(m => OnBroadcast(m.Channel!, m.Message!));
        await SubscribeRequestsAsync();
    }

    public override async Task BroadcastAsync(BroadcastPacket packet, BroadcastOptions options)
    {
        if (!options.Local)
        {
            var channel = options.Rooms.Count == 1 ? BroadcastChannel + options.Rooms.First() + "#" : BroadcastChannel;
            Publish(channel, RedisMessages.EncodeBroadcast(_uid, packet, options));
        }
        await base.BroadcastAsync(packet, options);
    }

    /// <summary>
    /// Publishes without waiting: this node's own sockets are served whether Redis answers or not (while it is away,
    /// StackExchange.Redis keeps the message in its backlog and sends it once reconnected, or drops it after its
    /// timeout), and a request that gets no answer times out on its own.
    /// </summary>
    private void Publish(string channel, RedisValue message) =>
        Subscriber.Publish(RedisChannel.Literal(channel), message, CommandFlags.FireAndForget);

    /// <summary>A broadcast from another node: delivered to this node's sockets (never published again).</summary>
    private void OnBroadcast(string channel, byte[] message)
    {
        if (!channel.StartsWith(BroadcastChannel, StringComparison.Ordinal)) return;
        var room = channel.Length > BroadcastChannel.Length ? channel[BroadcastChannel.Length..^1] : "";
        if (room.Length > 0 && !HasRoom(room)) return; // none of our sockets is in that room
        try
        {
            if (RedisMessages.DecodeBroadcast(message) is not { } broadcast || broadcast.Uid == _uid) return;
            if (broadcast.Packet.Namespace != Namespace.Name) return;
            _ = base.BroadcastAsync(broadcast.Packet, broadcast.Options with { Local = true });
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or Parser.PacketParseException)
        {
            Namespace.Server.Log.HandlerFailed("redis broadcast on " + channel, ex);
        }
    }

    /// <summary>The nodes subscribed to this namespace's request channel (this one included), as Node.js counts them.</summary>
    public override async Task<int> ServerCountAsync()
    {
        var result = await _factory.Redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", RequestChannel);
        var values = (RedisResult[])result!;
        return values.Length >= 2 ? (int)values[1] : 1;
    }

    public override async ValueTask DisposeAsync()
    {
        await Subscriber.UnsubscribeAsync(_broadcastPattern);
        await UnsubscribeRequestsAsync();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
