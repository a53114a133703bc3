using System.Text.Json;
using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace SocketIoServer.Server.Adapters.Redis;

/// <summary>What this node does for the others: requests answered, responses matched to the requests waiting for them.</summary>
public partial class RedisAdapter
{
    private async Task SubscribeRequestsAsync()
    {
        // in order too (a join, then a broadcast to the room), each started as it comes and left to finish on its own,
        // as Node.js does; answers may be handled concurrently
        (await Subscriber.SubscribeAsync(RedisChannel.Literal(RequestChannel))).OnMessage(m => { _ = OnRequestAsync(m.Message!); });
        await Subscriber.SubscribeAsync(RedisChannel.Literal(ResponseChannel), (_, message) => OnResponse(message!));
        await Subscriber.SubscribeAsync(RedisChannel.Literal(ResponseChannel + _uid + "#"), (_, message) => OnResponse(message!));
    }

    private async Task UnsubscribeRequestsAsync()
    {
        await Subscriber.UnsubscribeAsync(RedisChannel.Literal(RequestChannel));
        await Subscriber.UnsubscribeAsync(RedisChannel.Literal(ResponseChannel));
        await Subscriber.UnsubscribeAsync(RedisChannel.Literal(ResponseChannel + _uid + "#"));
    }

    private void Respond(RedisValue response) => Publish(ResponseChannel, response);

    private async Task OnRequestAsync(byte[] message)
    {
        JsonObject? request;
        try
        {
            request = RedisMessages.DecodeRequest(message);
        }
        catch (Exception ex) when (ex is JsonException or Parser.PacketParseException or InvalidOperationException)
        {
            return; // a malformed request is ignored, as Node.js does
        }
        if (request is null || request["type"] is not JsonValue typeValue || !typeValue.TryGetValue<int>(out var typeNumber)) return;
        var fromSelf = ClusterJson.Text(request["uid"]) == _uid;
        var requestId = ClusterJson.Text(request["requestId"]);
        try
        {
            switch ((RedisRequestType)typeNumber)
            {
                case RedisRequestType.Sockets when !fromSelf:
                {
                    var ids = await base.SocketsAsync(ClusterJson.RoomSet(request["rooms"]));
                    Respond(new JsonObject { ["requestId"] = requestId, ["sockets"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]) }.ToJsonString());
                    break;
                }
                case RedisRequestType.AllRooms when !fromSelf:
                    Respond(new JsonObject { ["requestId"] = requestId, ["rooms"] = new JsonArray([.. Rooms.Keys.Select(r => (JsonNode)r)]) }.ToJsonString());
                    break;
                case RedisRequestType.RemoteJoin when !fromSelf:
                    await ApplyToSocketsAsync(request, requestId, (options, rooms) => base.AddSocketsAsync(options, rooms),
                        (socket, room) => socket.Join(room));
                    break;
                case RedisRequestType.RemoteLeave when !fromSelf:
                    await ApplyToSocketsAsync(request, requestId, (options, rooms) => base.DelSocketsAsync(options, rooms),
                        (socket, room) => socket.Leave(room));
                    break;
                case RedisRequestType.RemoteDisconnect when !fromSelf:
                {
                    var close = request["close"] is JsonValue c && c.GetValueKind() == JsonValueKind.True;
                    await ApplyToSocketsAsync(request, requestId, (options, _) => base.DisconnectSocketsAsync(options, close),
                        (socket, _) => socket.Disconnect(close));
                    break;
                }
                case RedisRequestType.RemoteFetch when !fromSelf:
                {
                    var sockets = await base.FetchSocketsAsync(ClusterJson.Options(request["opts"]));
                    Respond(new JsonObject
                    {
                        ["requestId"] = requestId,
                        ["sockets"] = new JsonArray([.. sockets.Select(s => (JsonNode)ClusterJson.Socket(s))]),
                    }.ToJsonString());
                    break;
                }
                case RedisRequestType.ServerSideEmit when !fromSelf:
                    OnServerSideEmit(request, requestId);
                    break;
                case RedisRequestType.Broadcast when requestId is not null && !_requests.TryGetBroadcastAck(requestId, out _):
                    await OnBroadcastWithAckAsync(request, requestId);
                    break;
            }
        }
        catch (Exception ex)
        {
            Namespace.Server.Log.HandlerFailed("redis request " + (RedisRequestType)typeNumber, ex);
        }
    }

    /// <summary>A join, leave or disconnect: for the sockets its options select, or (older nodes) for one socket by id, answered.</summary>
    private async Task ApplyToSocketsAsync(JsonObject request, string? requestId, Func<BroadcastOptions, IReadOnlyCollection<string>, Task> bySelection,
        Action<Socket, string> onOne)
    {
        var rooms = request["rooms"] is JsonArray list ? list.Select(ClusterJson.Text).OfType<string>().ToList() : [];
        if (request["opts"] is not null)
        {
            await bySelection(ClusterJson.Options(request["opts"]), rooms);
            return;
        }
        if (ClusterJson.Text(request["sid"]) is not { } sid || !Namespace.TryGetSocket(sid, out var socket)) return;
        onOne(socket, ClusterJson.Text(request["room"]) ?? "");
        Respond(new JsonObject { ["requestId"] = requestId }.ToJsonString());
    }

    private void OnServerSideEmit(JsonObject request, string? requestId)
    {
        if (request["data"] is not JsonArray { Count: > 0 } data || ClusterJson.Text(data[0]) is not { } name) return;
        var args = data.Skip(1).Select(a => a?.DeepClone()).ToArray();
        Action<object?>? ack = requestId is null ? null : value =>
        {
            var answer = value is JsonNode node ? node.DeepClone() : JsonSerializer.SerializeToNode(value, Parser.SocketIoJson.Options);
            Respond(new JsonObject { ["type"] = (int)RedisRequestType.ServerSideEmit, ["requestId"] = requestId, ["data"] = answer }.ToJsonString());
        };
        Namespace.DispatchServerSideEvent(new ServerSideEvent(name, args, ack));
    }

    /// <summary>Another node's broadcast with acknowledgements: delivered here; the count and each answer go back.</summary>
    private async Task OnBroadcastWithAckAsync(JsonObject request, string requestId)
    {
        if (ClusterJson.Packet(request["packet"], Namespace.NextAckId()) is not { } packet || packet.Namespace != Namespace.Name) return;
        await base.BroadcastWithAckAsync(packet, ClusterJson.Options(request["opts"]),
            count => Respond(new JsonObject
            {
                ["type"] = (int)RedisRequestType.BroadcastClientCount, ["requestId"] = requestId, ["clientCount"] = count,
            }.ToJsonString()),
            args => Respond(RedisMessages.EncodeBroadcastAck(requestId, args.Length > 0 ? args[0] : null)));
    }

    private void OnResponse(byte[] message)
    {
        JsonObject? response;
        try
        {
            response = RedisMessages.DecodeRequest(message);
        }
        catch (Exception ex) when (ex is JsonException or Parser.PacketParseException or InvalidOperationException)
        {
            return;
        }
        if (response is null || ClusterJson.Text(response["requestId"]) is not { } requestId) return;

        if (_requests.TryGetBroadcastAck(requestId, out var ack))
        {
            var type = response["type"] is JsonValue t && t.TryGetValue<int>(out var n) ? (RedisRequestType)n : (RedisRequestType)(-1);
            if (type == RedisRequestType.BroadcastClientCount && response["clientCount"] is JsonValue c && c.TryGetValue<int>(out var count))
                ack.ClientCount(count);
            else if (type == RedisRequestType.BroadcastAck)
                ack.OnAck([response["packet"]?.DeepClone()]);
            return;
        }
        _requests.TryAnswer(requestId, response);
    }
}
