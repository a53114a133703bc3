using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>What this node asks of the others, by pub/sub, and how their answers find the request waiting for them.</summary>
public sealed partial class RedisStreamsAdapter
{
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Action<int> ClientCount, Action<JsonNode?[]> OnAck)> _ackRequests = new(StringComparer.Ordinal);

    private static string NewRequestId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    /// <summary>Sends a request every other node answers, and waits for all answers (or the timeout: <see cref="TimeoutException"/>).</summary>
    private async Task<List<JsonNode?>> AskOthersAsync(ClusterMessageType type, Func<string, Action<ClusterWriter>> data, TimeSpan? timeout, string what)
    {
        var others = await ServerCountAsync() - 1;
        if (others <= 0) return [];
        var requestId = NewRequestId();
        var pending = new PendingRequest(others);
        _requests[requestId] = pending;
        try
        {
            Publish(PublicChannel, type, data(requestId));
            return await pending.WaitAsync(timeout ?? Options.RequestsTimeout, what);
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
    }

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
            var requestId = NewRequestId();
            _ackRequests[requestId] = (clientCount, onAck);
            // there is no telling when every remote client has answered: the entry goes after the broadcast's timeout
            _ = Task.Delay(options.Timeout ?? Options.RequestsTimeout)
                .ContinueWith(_ => _ackRequests.TryRemove(requestId, out var _), TaskScheduler.Default);
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
            case ClusterMessageType.BroadcastClientCount when _ackRequests.TryGetValue(requestId, out var ack):
                if (data["clientCount"] is JsonValue c && c.GetValueKind() == JsonValueKind.Number && c.TryGetValue<int>(out var count))
                    ack.ClientCount(count);
                break;
            case ClusterMessageType.BroadcastAck when _ackRequests.TryGetValue(requestId, out var ack):
                ack.OnAck([data["packet"]?.DeepClone()]);
                break;
            case ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmitResponse
                when _requests.TryGetValue(requestId, out var pending):
                pending.Add(data);
                break;
        }
    }
}
