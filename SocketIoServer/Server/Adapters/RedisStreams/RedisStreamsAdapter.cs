using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>
/// The adapter of npm <c>@socket.io/redis-streams-adapter</c> 0.3 (a <c>ClusterAdapter</c> of <c>socket.io-adapter</c>
/// 2.5), so that C# and Node.js nodes share one cluster. What must last goes into the stream (<c>XADD</c>): plain
/// broadcasts, joins, leaves and disconnections; every node reads it in order, and the id of a broadcast's entry is
/// the offset its receivers get, so that a client can recover on any node. Requests that expect answers (fetch
/// sockets, server-side emits, broadcasts with acknowledgements) go by pub/sub on <c>{prefix}#{nsp}#</c>, their
/// answers on the requester's <c>{prefix}#{nsp}#{uid}#</c>; the server count is the number of subscribers of the first.
/// This node's own broadcasts reach its sockets through the stream too, so that every socket of every node sees the
/// stream's order, and a recovered socket misses nothing between its replay and going live.
/// </summary>
public sealed partial class RedisStreamsAdapter : InMemoryAdapter
{
    private readonly RedisStreamsAdapterFactory _factory;

    internal RedisStreamsAdapter(Namespace nsp, RedisStreamsAdapterFactory factory) : base(nsp, keepsRecoveryLog: false)
    {
        _factory = factory;
        Uid = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        PublicChannel = RedisChannel.Literal($"{factory.Options.ChannelPrefix}#{nsp.Name}#");
        PrivateChannel = RedisChannel.Literal($"{factory.Options.ChannelPrefix}#{nsp.Name}#{Uid}#");
        _recovering = nsp.Server.Options.ConnectionStateRecovery is not null;
    }

    /// <summary>This node's id in the cluster (16 hex characters, as <c>randomBytes(8)</c>).</summary>
    public string Uid { get; }

    internal RedisChannel PublicChannel { get; }

    internal RedisChannel PrivateChannel { get; }

    private RedisStreamsAdapterOptions Options => _factory.Options;

    private ILogger Logger => _factory.Logger;

    private IDatabase Database => _factory.Redis.GetDatabase();

    private ISubscriber Subscriber => _factory.Redis.GetSubscriber();

    public override async Task InitAsync(CancellationToken cancellationToken)
    {
        // requests in the order a node sent them (a message queue: StackExchange.Redis runs handlers concurrently)
        (await Subscriber.SubscribeAsync(PublicChannel)).OnMessage(m => OnPubSub((byte[])m.Message!, "public channel"));
        await Subscriber.SubscribeAsync(PrivateChannel, (_, payload) => OnPubSub((byte[])payload!, "private channel"));
        StartSnapshots();
    }

    /// <summary>Appends a message to the stream; its entry id, or null when Redis could not take it (logged).</summary>
    private async Task<string?> AppendAsync(ClusterMessageType type, Action<ClusterWriter> data)
    {
        try
        {
            var entry = StreamsCodec.StreamEntry(Uid, Namespace.Name, type, data, Options.OnlyPlaintext);
            return await Database.StreamAddAsync(Options.StreamName, entry, maxLength: Options.MaxLen, useApproximateMaxLength: true);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Logger.PublishFailed(type.ToString(), Namespace.Name, ex);
            return null;
        }
    }

    private void Publish(RedisChannel channel, ClusterMessageType type, Action<ClusterWriter> data) =>
        // without waiting: a request that gets no answer times out on its own
        Subscriber.Publish(channel, StreamsCodec.PubSub(Uid, Namespace.Name, type, data), CommandFlags.FireAndForget);

    /// <summary>
    /// A broadcast goes into the stream and reaches this node's sockets when the reading loop meets it, as on every
    /// other node. When Redis cannot take it, this node's sockets get it at once all the same (without an offset).
    /// </summary>
    public override async Task BroadcastAsync(BroadcastPacket packet, BroadcastOptions options)
    {
        if (options.Local || await AppendAsync(ClusterMessageType.Broadcast, ClusterData.Broadcast(packet, options)) is null)
            await base.BroadcastAsync(packet, options);
    }

    public override async Task AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        await base.AddSocketsAsync(options, rooms);
        if (!options.Local) await AppendAsync(ClusterMessageType.SocketsJoin, ClusterData.Selection(options, rooms));
    }

    public override async Task DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        await base.DelSocketsAsync(options, rooms);
        if (!options.Local) await AppendAsync(ClusterMessageType.SocketsLeave, ClusterData.Selection(options, rooms));
    }

    public override async Task DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        await base.DisconnectSocketsAsync(options, close);
        if (!options.Local) await AppendAsync(ClusterMessageType.DisconnectSockets, ClusterData.Disconnect(options, close));
    }

    /// <summary>The nodes subscribed to this namespace's public channel (this one included), as Node.js counts them.</summary>
    public override async Task<int> ServerCountAsync()
    {
        var result = await Database.ExecuteAsync("PUBSUB", "NUMSUB", PublicChannel.ToString());
        var values = (RedisResult[])result!;
        return values.Length >= 2 ? Math.Max(1, (int)values[1]) : 1;
    }

    public override async ValueTask DisposeAsync()
    {
        _factory.Remove(this);
        StopSnapshots();
        try
        {
            await Subscriber.UnsubscribeAsync(PublicChannel);
            await Subscriber.UnsubscribeAsync(PrivateChannel);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            // Redis away or the connection already closed: the subscriptions went with it
        }
        await base.DisposeAsync();
    }
}
