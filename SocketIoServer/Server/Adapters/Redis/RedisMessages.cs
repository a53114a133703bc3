using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Parser.MsgPack;

namespace SocketIoServer.Server.Adapters.Redis;

/// <summary>
/// The MessagePack messages of npm <c>@socket.io/redis-adapter</c> (notepack.io): a broadcast is
/// <c>[uid, {type: 2, data: [event, ...args], nsp}, {rooms: [...], except: [...], flags: {...}}]</c>, binary arguments
/// as msgpack <c>bin</c>; the flags carry only what was set (<c>volatile</c>, <c>compress</c>, <c>timeout</c>).
/// </summary>
internal static class RedisMessages
{
    public sealed record Broadcast(string Uid, BroadcastPacket Packet, BroadcastOptions Options);

    public static byte[] EncodeBroadcast(string uid, BroadcastPacket packet, BroadcastOptions options)
    {
        var encoder = MsgPackEncoder.Rent();
        try
        {
            var writer = encoder.Writer;
            writer.WriteArrayHeader(3);
            writer.WriteString(uid);
            var clusterWriter = new MsgPackClusterWriter(encoder);
            clusterWriter.Packet(packet);
            clusterWriter.Options(options);
            return encoder.ToPacket().Text.ToArray();
        }
        finally
        {
            encoder.Return();
        }
    }

    /// <summary>A broadcast with acknowledgements, a request: <c>{uid, requestId, type: 7, packet, opts}</c>.</summary>
    public static byte[] EncodeBroadcastRequest(string uid, string requestId, BroadcastPacket packet, BroadcastOptions options)
    {
        var encoder = MsgPackEncoder.Rent();
        try
        {
            var writer = encoder.Writer;
            writer.WriteMapHeader(5);
            writer.WriteString("uid"u8);
            writer.WriteString(uid);
            writer.WriteString("requestId"u8);
            writer.WriteString(requestId);
            writer.WriteString("type"u8);
            writer.WriteInteger((int)RedisRequestType.Broadcast);
            var clusterWriter = new MsgPackClusterWriter(encoder);
            writer.WriteString("packet"u8);
            clusterWriter.Packet(packet);
            writer.WriteString("opts"u8);
            clusterWriter.Options(options);
            return encoder.ToPacket().Text.ToArray();
        }
        finally
        {
            encoder.Return();
        }
    }

    /// <summary>An acknowledgement of a remote client, a response: <c>{type: 9, requestId, packet}</c> (its first argument).</summary>
    public static byte[] EncodeBroadcastAck(string requestId, JsonNode? firstArgument)
    {
        var encoder = MsgPackEncoder.Rent();
        try
        {
            var writer = encoder.Writer;
            writer.WriteMapHeader(3);
            writer.WriteString("type"u8);
            writer.WriteInteger((int)RedisRequestType.BroadcastAck);
            writer.WriteString("requestId"u8);
            writer.WriteString(requestId);
            writer.WriteString("packet"u8);
            encoder.WriteValue(firstArgument);
            return encoder.ToPacket().Text.ToArray();
        }
        finally
        {
            encoder.Return();
        }
    }

    /// <summary>A request or response: JSON when it starts with '{' (as the adapter writes most), MessagePack otherwise.</summary>
    public static JsonObject? DecodeRequest(byte[] message)
    {
        if (message.Length == 0) return null;
        if (message[0] == (byte)'{') return JsonNode.Parse(message) as JsonObject;
        return MsgPackToJson.Decode(message, 0, out _) as JsonObject;
    }

    /// <summary>A broadcast message; null when it is not one (another kind of message on the channel).</summary>
    public static Broadcast? DecodeBroadcast(byte[] message)
    {
        if (MsgPackToJson.Decode(message, 0, out _) is not JsonArray { Count: 3 } parts) return null;
        if (parts[0] is not JsonValue uid || uid.GetValueKind() != JsonValueKind.String) return null;
        if (ClusterJson.Packet(parts[1]) is not { } packet || parts[2] is not JsonObject) return null;
        return new Broadcast(uid.GetValue<string>(), packet, ClusterJson.Options(parts[2]) with { Timeout = null });
    }
}
