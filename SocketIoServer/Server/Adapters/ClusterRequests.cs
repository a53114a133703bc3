using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace SocketIoServer.Server.Adapters;

/// <summary>
/// The requests a cluster adapter has sent to the other nodes and not yet settled, by request id: those every other
/// node answers once (fetchSockets, serverSideEmit with ack, ...) and broadcasts with acknowledgements, whose client
/// counts and answers keep coming until the broadcast's timeout. Both Redis adapters keep theirs here; only the wire
/// format of requests and answers is theirs.
/// </summary>
internal sealed class ClusterRequests(int idBytes)
{
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BroadcastAck> _broadcastAcks = new(StringComparer.Ordinal);

    /// <summary>Where a broadcast's remote client counts and acknowledgements go.</summary>
    public readonly record struct BroadcastAck(Action<int> ClientCount, Action<JsonNode?[]> OnAck);

    /// <summary>A random id of <c>idBytes</c> bytes in lowercase hex, as the Node.js adapter makes them.</summary>
    public string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(idBytes)).ToLowerInvariant();

    /// <summary>
    /// Sends a request (<paramref name="send"/> gets its id) that each of the <paramref name="others"/> nodes answers,
    /// and waits for all answers, or the timeout (<see cref="TimeoutException"/>).
    /// </summary>
    public async Task<List<JsonNode?>> AskAsync(int others, Action<string> send, TimeSpan timeout, string what)
    {
        if (others <= 0) return [];
        var requestId = NewId();
        var pending = new PendingRequest(others);
        _requests[requestId] = pending;
        try
        {
            send(requestId);
            return await pending.WaitAsync(timeout, what);
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
    }

    /// <summary>Hands an answer to the request waiting for it; false when none is (answered already, timed out, not ours).</summary>
    public bool TryAnswer(string requestId, JsonNode? response)
    {
        if (!_requests.TryGetValue(requestId, out var pending)) return false;
        pending.Add(response);
        return true;
    }

    /// <summary>Registers a broadcast with acknowledgements and returns its request id.</summary>
    public string TrackBroadcastAck(Action<int> clientCount, Action<JsonNode?[]> onAck, TimeSpan timeout)
    {
        var requestId = NewId();
        _broadcastAcks[requestId] = new BroadcastAck(clientCount, onAck);
        // there is no telling when every remote client has answered: the entry goes after the broadcast's timeout
        _ = Task.Delay(timeout).ContinueWith(_ => _broadcastAcks.TryRemove(requestId, out var _), TaskScheduler.Default);
        return requestId;
    }

    /// <summary>The broadcast this node sent under <paramref name="requestId"/>, while its answers are still awaited.</summary>
    public bool TryGetBroadcastAck(string requestId, out BroadcastAck ack) => _broadcastAcks.TryGetValue(requestId, out ack);
}
