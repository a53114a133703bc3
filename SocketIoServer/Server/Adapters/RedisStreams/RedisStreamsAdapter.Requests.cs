using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>What this node asks of the others, by pub/sub, and how their answers find the request waiting for them.</summary>
public sealed partial class RedisStreamsAdapter
{
    // request ids of 8 random bytes, as redis-streams-adapter's randomId()
    private readonly ClusterRequests _requests = new(idBytes: 8);

    /// <summary>Sends a request every other node answers, and waits for all answers (or the timeout: <see cref="TimeoutException"/>).</summary>
    private async Task<List<JsonNode?>> AskOthersAsync(ClusterMessageType type, Func<string, Action<ClusterWriter>> data, TimeSpan? timeout, string what) =>
        await _requests.AskAsync(await ServerCountAsync() - 1, requestId => Publish(PublicChannel, type, data(requestId)),
            timeout ?? Options.RequestsTimeout, what);

    public override async Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options)
    {
        var local = await base.FetchSocketsAsync(options);
        if (options.Local) return local;
        var responses = await AskOthersAsync(ClusterMessageType.FetchSockets, id => ClusterData.FetchSockets(options, id), options.Timeout, "fetchSockets");
        return ClusterJson.WithRemoteSockets(Namespace, local, responses);
    }

    /// <summary>The ids of the sockets in the rooms, on every node (by a fetch: Node.js's cluster adapter has no request of its own for it).</summary>
    public override async Task<IReadOnlySet<string>> SocketsAsync(IReadOnlySet<string> rooms)
    {
        var sockets = await FetchSocketsAsync(new BroadcastOptions { Rooms = rooms });
        return sockets.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
    }

    public override async Task<IReadOnlyList<JsonNode?[]>> ServerSideEmitAsync(string eventName, IReadOnlyList<object?> args, bool expectAck, TimeSpan? timeout)
    {
        if (!expectAck)
        {
            Publish(PublicChannel, ClusterMessageType.ServerSideEmit, ClusterData.ServerSideEmit(eventName, args, requestId: null));
            return [];
        }
        var responses = await AskOthersAsync(ClusterMessageType.ServerSideEmit, id => ClusterData.ServerSideEmit(eventName, args, id), timeout, "serverSideEmit");
        return responses.Select(r => new[] { r?["packet"]?.DeepClone() }).ToList();
    }

    public override async Task BroadcastWithAckAsync(BroadcastPacket packet, BroadcastOptions options, Action<int> clientCount, Action<JsonNode?[]> onAck)
    {
        if (!options.Local)
        {
            var requestId = _requests.TrackBroadcastAck(clientCount, onAck, options.Timeout ?? Options.RequestsTimeout);
            Publish(PublicChannel, ClusterMessageType.Broadcast, ClusterData.Broadcast(packet, options, requestId));
        }
        await base.BroadcastWithAckAsync(packet, options, clientCount, onAck);
    }

    private void OnResponse(ClusterMessage response)
    {
        if (response.RequestId is not { } requestId) return;
        var data = response.Data!;
        switch (response.Kind)
        {
            case ClusterMessageType.BroadcastClientCount when _requests.TryGetBroadcastAck(requestId, out var ack):
                if (data["clientCount"] is JsonValue c && c.GetValueKind() == JsonValueKind.Number && c.TryGetValue<int>(out var count))
                    ack.ClientCount(count);
                break;
            case ClusterMessageType.BroadcastAck when _requests.TryGetBroadcastAck(requestId, out var ack):
                ack.OnAck([data["packet"]?.DeepClone()]);
                break;
            case ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmitResponse:
                _requests.TryAnswer(requestId, data);
                break;
        }
    }
}
