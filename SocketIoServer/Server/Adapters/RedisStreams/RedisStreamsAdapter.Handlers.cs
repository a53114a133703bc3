using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>What this node does with the others' messages: from the stream, in order; from pub/sub, as they come.</summary>
public sealed partial class RedisStreamsAdapter
{
    /// <summary>An entry of the stream for this namespace (the reading loop's thread; one at a time).</summary>
    internal void OnStreamMessage(StreamId id, ClusterMessage message)
    {
        var data = message.Data;
        switch (message.Kind)
        {
            // this node's own broadcasts too: its sockets get them here, in the stream's order
            case ClusterMessageType.Broadcast when message.RequestId is null:
                if (ClusterJson.Packet(data?["packet"]) is not { } packet) throw new InvalidDataException("a broadcast without a packet");
                DeliverFromStream(id, new BroadcastPacket(Namespace.Name, packet.EventName, packet.Args), ClusterJson.Options(data?["opts"]));
                break;
            case ClusterMessageType.SocketsJoin or ClusterMessageType.SocketsLeave or ClusterMessageType.DisconnectSockets
                when message.Uid == Uid:
                break; // applied here when it was sent
            case ClusterMessageType.SocketsJoin:
                _ = base.AddSocketsAsync(ClusterJson.Options(data?["opts"]), [.. ClusterJson.RoomSet(data?["rooms"])]);
                break;
            case ClusterMessageType.SocketsLeave:
                _ = base.DelSocketsAsync(ClusterJson.Options(data?["opts"]), [.. ClusterJson.RoomSet(data?["rooms"])]);
                break;
            case ClusterMessageType.DisconnectSockets:
                _ = base.DisconnectSocketsAsync(ClusterJson.Options(data?["opts"]), data?["close"] is JsonValue c && c.GetValueKind() == JsonValueKind.True);
                break;
            case ClusterMessageType.InitialHeartbeat or ClusterMessageType.Heartbeat or ClusterMessageType.AdapterClose:
                break; // what older nodes (0.2, with heartbeats) write; the server count is not kept from it here
            default:
                OnMessage(message, "stream entry " + id);
                break;
        }
    }

    private void OnPubSub(byte[] payload, string where)
    {
        ClusterMessage? message;
        try
        {
            message = StreamsCodec.FromPubSub(payload);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or FormatException or Parser.PacketParseException)
        {
            Logger.MalformedMessage(where, PublicChannel.ToString(), ex);
            return;
        }
        if (message is null || message.Nsp != Namespace.Name) return;
        OnMessage(message, where);
    }

    /// <summary>Requests and responses (which Node.js sends by pub/sub, and may meet in the stream from older nodes).</summary>
    private void OnMessage(ClusterMessage message, string where)
    {
        if (message.Uid == Uid) return;
        try
        {
            switch (message.Kind)
            {
                case ClusterMessageType.Broadcast when message.RequestId is { } requestId:
                    OnBroadcastWithAck(message, requestId);
                    break;
                case ClusterMessageType.FetchSockets when message.RequestId is { } requestId:
                    _ = AnswerFetchAsync(message, requestId);
                    break;
                case ClusterMessageType.ServerSideEmit:
                    OnServerSideEmit(message);
                    break;
                case ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmitResponse
                    or ClusterMessageType.BroadcastClientCount or ClusterMessageType.BroadcastAck:
                    OnResponse(message);
                    break;
                case ClusterMessageType.InitialHeartbeat or ClusterMessageType.Heartbeat or ClusterMessageType.AdapterClose:
                    break;
                default:
                    Logger.UnknownType(message.Type, message.Uid, message.Nsp, where);
                    break;
            }
        }
        catch (Exception ex)
        {
            Logger.HandlerFailed(message.Type, message.Uid, message.Nsp, ex);
        }
    }

    private void Respond(string requesterUid, ClusterMessageType type, Action<ClusterWriter> data) =>
        Publish(StackExchange.Redis.RedisChannel.Literal($"{Options.ChannelPrefix}#{Namespace.Name}#{requesterUid}#"), type, data);

    private void OnBroadcastWithAck(ClusterMessage message, string requestId)
    {
        if (ClusterJson.Packet(message.Data?["packet"], Namespace.NextAckId()) is not { } packet) return;
        packet = new BroadcastPacket(Namespace.Name, packet.EventName, packet.Args, packet.AckId);
        _ = base.BroadcastWithAckAsync(packet, ClusterJson.Options(message.Data?["opts"]),
            count => Respond(message.Uid, ClusterMessageType.BroadcastClientCount, ClusterData.ClientCount(requestId, count)),
            args => Respond(message.Uid, ClusterMessageType.BroadcastAck, ClusterData.Answer(requestId, args.Length > 0 ? args[0] : null)));
    }

    private async Task AnswerFetchAsync(ClusterMessage message, string requestId)
    {
        var sockets = await base.FetchSocketsAsync(ClusterJson.Options(message.Data?["opts"]) with { Local = true });
        Respond(message.Uid, ClusterMessageType.FetchSocketsResponse, ClusterData.FetchSocketsResponse(requestId, sockets));
    }

    private void OnServerSideEmit(ClusterMessage message)
    {
        if (message.Data?["packet"] is not JsonArray { Count: > 0 } packet || ClusterJson.Text(packet[0]) is not { } name) return;
        var args = packet.Skip(1).Select(a => a?.DeepClone()).ToArray();
        var requestId = message.RequestId;
        var answered = 0;
        Action<object?>? ack = requestId is null ? null : value =>
        {
            // one answer per node, as Node.js takes only the first
            if (Interlocked.Exchange(ref answered, 1) == 0)
                Respond(message.Uid, ClusterMessageType.ServerSideEmitResponse, ClusterData.Answer(requestId, value));
        };
        Namespace.DispatchServerSideEvent(new ServerSideEvent(name, args, ack));
    }
}
