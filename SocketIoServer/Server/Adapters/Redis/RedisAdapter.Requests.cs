using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace SocketIoServer.Server.Adapters.Redis;

/// <summary>What this node asks of the others: the requests of <c>@socket.io/redis-adapter</c>, as JSON, as it sends them.</summary>
public partial class RedisAdapter
{
    // request ids of 3 random bytes (6 hex digits), as redis-adapter's uid2(6)
    private readonly ClusterRequests _requests = new(idBytes: 3);

    private TimeSpan RequestsTimeout => _factory.Options.RequestsTimeout;

    private void PublishRequest(JsonObject request) => Publish(RequestChannel, request.ToJsonString());

    /// <summary>A join, leave or disconnect of the sockets <paramref name="options"/> select, for the other nodes.</summary>
    private void PublishSelection(RedisRequestType type, BroadcastOptions options, string key, JsonNode value)
    {
        if (options.Local) return;
        PublishRequest(new JsonObject { ["uid"] = _uid, ["type"] = (int)type, ["opts"] = RoomOptions(options), [key] = value });
    }

    private static JsonObject RoomOptions(BroadcastOptions options) => new()
    {
        ["rooms"] = new JsonArray([.. options.Rooms.Select(r => (JsonNode)r)]),
        ["except"] = new JsonArray([.. options.Except.Select(r => (JsonNode)r)]),
    };

    /// <summary>Sends a request that every other node answers, and waits for all answers (or the timeout).</summary>
    private async Task<List<JsonNode?>> AskOthersAsync(RedisRequestType type, JsonObject request, string what) =>
        await _requests.AskAsync(await ServerCountAsync() - 1, requestId =>
        {
            request["uid"] = _uid;
            request["requestId"] = requestId;
            request["type"] = (int)type;
            PublishRequest(request);
        }, RequestsTimeout, what);

    public override async Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options)
    {
        var local = await base.FetchSocketsAsync(options);
        if (options.Local) return local;
        var responses = await AskOthersAsync(RedisRequestType.RemoteFetch, new JsonObject { ["opts"] = RoomOptions(options) }, "fetchSockets");
        return ClusterJson.WithRemoteSockets(Namespace, local, responses);
    }

    public override async Task<IReadOnlySet<string>> SocketsAsync(IReadOnlySet<string> rooms)
    {
        var ids = new HashSet<string>(await base.SocketsAsync(rooms), StringComparer.Ordinal);
        var request = new JsonObject { ["rooms"] = new JsonArray([.. rooms.Select(r => (JsonNode)r)]) };
        foreach (var response in await AskOthersAsync(RedisRequestType.Sockets, request, "sockets"))
            if (response?["sockets"] is JsonArray sockets)
                foreach (var id in sockets)
                    if (Adapters.ClusterJson.Text(id) is { } text) ids.Add(text);
        return ids;
    }

    // Joining, leaving and disconnecting are applied here at once and published for the other nodes (which apply
    // them on receipt; this node skips its own request when it comes back).

    public override async Task AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        await base.AddSocketsAsync(options, rooms);
        PublishSelection(RedisRequestType.RemoteJoin, options, "rooms", new JsonArray([.. rooms.Select(r => (JsonNode)r)]));
    }

    public override async Task DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        await base.DelSocketsAsync(options, rooms);
        PublishSelection(RedisRequestType.RemoteLeave, options, "rooms", new JsonArray([.. rooms.Select(r => (JsonNode)r)]));
    }

    public override async Task DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        await base.DisconnectSocketsAsync(options, close);
        PublishSelection(RedisRequestType.RemoteDisconnect, options, "close", close);
    }

    public override async Task<IReadOnlyList<JsonNode?[]>> ServerSideEmitAsync(string eventName, IReadOnlyList<object?> args, bool expectAck, TimeSpan? timeout)
    {
        var data = new JsonArray(eventName);
        foreach (var arg in args) data.Add(arg is JsonNode node ? node.DeepClone() : System.Text.Json.JsonSerializer.SerializeToNode(arg, Parser.SocketIoJson.Options));
        if (!expectAck)
        {
            PublishRequest(new JsonObject { ["uid"] = _uid, ["type"] = (int)RedisRequestType.ServerSideEmit, ["data"] = data });
            return [];
        }
        var responses = await AskOthersAsync(RedisRequestType.ServerSideEmit, new JsonObject { ["data"] = data }, "serverSideEmit");
        return responses.Select(r => new[] { r?["data"]?.DeepClone() }).ToList();
    }

    public override async Task BroadcastWithAckAsync(BroadcastPacket packet, BroadcastOptions options, Action<int> clientCount, Action<JsonNode?[]> onAck)
    {
        if (!options.Local)
        {
            var requestId = _requests.TrackBroadcastAck(clientCount, onAck, options.Timeout ?? RequestsTimeout);
            Publish(RequestChannel, RedisMessages.EncodeBroadcastRequest(_uid, requestId, packet, options));
        }
        await base.BroadcastWithAckAsync(packet, options, clientCount, onAck);
    }
}
