using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Parser;

namespace SocketIoServer.Server.Adapters;

/// <summary>
/// What the nodes of a cluster tell each other, as JSON trees (both Redis adapters): sockets as Node.js's
/// <c>fetchSockets</c> responses describe them (<c>{id, handshake: {headers, time, address, xdomain, secure, issued,
/// url, query, auth}, rooms, data}</c>), broadcast packets <c>{type: 2, data: [event, ...args], nsp}</c> and their
/// options <c>{rooms, except, flags}</c>.
/// </summary>
internal static class ClusterJson
{
    public static JsonObject Socket(RemoteSocket socket) => new()
    {
        ["id"] = socket.Id,
        ["handshake"] = Handshake(socket.Handshake),
        ["rooms"] = new JsonArray([.. socket.Rooms.Select(r => (JsonNode)r)]),
        ["data"] = Data(socket.Data),
    };

    public static JsonObject Handshake(Handshake handshake) => new()
    {
        ["headers"] = Strings(handshake.Headers),
        ["time"] = handshake.Time,
        ["address"] = handshake.Address,
        ["xdomain"] = handshake.XDomain,
        ["secure"] = handshake.Secure,
        ["issued"] = handshake.Issued,
        ["url"] = handshake.Url,
        ["query"] = Strings(handshake.Query),
        ["auth"] = handshake.Auth.DeepClone(),
    };

    /// <summary>This node's sockets and those of the other nodes' fetch answers (<c>{sockets: [...]}</c> each).</summary>
    public static IReadOnlyList<RemoteSocket> WithRemoteSockets(Namespace nsp, IReadOnlyList<RemoteSocket> local, IEnumerable<JsonNode?> responses)
    {
        var all = local.ToList();
        foreach (var response in responses)
            if (response?["sockets"] is JsonArray sockets)
                foreach (var socket in sockets)
                    if (RemoteSocket(nsp, socket) is { } remote) all.Add(remote);
        return all;
    }

    /// <summary>A socket another node described; what it left out or got wrong becomes empty, never an exception.</summary>
    public static RemoteSocket? RemoteSocket(Namespace nsp, JsonNode? node)
    {
        if (node is not JsonObject socket || Text(socket["id"]) is not { Length: > 0 } id) return null;
        var handshake = socket["handshake"] as JsonObject ?? new JsonObject();
        var rooms = socket["rooms"] is JsonArray list
            ? list.Select(Text).Where(r => r is not null).Select(r => r!).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (socket["data"] is JsonObject fields)
            foreach (var (key, value) in fields) data[key] = value?.DeepClone();
        return new RemoteSocket(nsp, id, new Handshake
        {
            Headers = StringMap(handshake["headers"]),
            Address = Text(handshake["address"]) ?? "",
            XDomain = handshake["xdomain"] is JsonValue x && x.GetValueKind() == JsonValueKind.True,
            Secure = handshake["secure"] is JsonValue s && s.GetValueKind() == JsonValueKind.True,
            Issued = handshake["issued"] is JsonValue i && i.TryGetValue<long>(out var issued) ? issued : 0,
            Url = Text(handshake["url"]) ?? "",
            Query = StringMap(handshake["query"]),
            Auth = handshake["auth"] is JsonObject auth ? (JsonObject)auth.DeepClone() : new JsonObject(),
        }, rooms, data);
    }

    private static JsonObject Strings(IReadOnlyDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map) json[key] = value;
        return json;
    }

    /// <summary><c>socket.data</c> as JSON: each value as the JSON parser would send it.</summary>
    private static JsonNode Data(IReadOnlyDictionary<string, object?> data)
    {
        var json = new JsonObject();
        foreach (var (key, value) in data)
            json[key] = value is JsonNode node ? node.DeepClone() : JsonSerializer.SerializeToNode(value, SocketIoJson.Options);
        return json;
    }

    private static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (node is not JsonObject obj) return map;
        foreach (var (key, value) in obj)
        {
            // Node.js keeps repeated headers as arrays; one comma-joined string is what a single header holds
            if (value is JsonArray many) map[key] = string.Join(", ", many.Select(Text).Where(t => t is not null));
            else if (Text(value) is { } text) map[key] = text;
        }
        return map;
    }

    public static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>The event of a packet object <c>{type: 2, data: [event, ...args], nsp}</c>; null when it is not one.</summary>
    public static BroadcastPacket? Packet(JsonNode? node, long? ackId = null)
    {
        if (node is not JsonObject packet || packet["data"] is not JsonArray { Count: > 0 } data
            || data[0] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
            return null;
        var nsp = packet["nsp"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : "/";
        var args = new object?[data.Count - 1];
        for (var i = 1; i < data.Count; i++)
        {
            var arg = data[i];
            data[i] = null; // detach, so that the node can be written as an argument of its own
            args[i - 1] = arg;
        }
        return new BroadcastPacket(nsp, name.GetValue<string>(), args, ackId);
    }

    /// <summary>Rooms and exceptions of a request's <c>opts</c>; the flags of a broadcast.</summary>
    public static BroadcastOptions Options(JsonNode? node)
    {
        var opts = node as JsonObject;
        var flags = opts?["flags"] as JsonObject;
        return new BroadcastOptions
        {
            Rooms = RoomSet(opts?["rooms"]),
            Except = RoomSet(opts?["except"]),
            Volatile = flags?["volatile"] is JsonValue v && v.GetValueKind() == JsonValueKind.True,
            Compress = !(flags?["compress"] is JsonValue c && c.GetValueKind() == JsonValueKind.False),
            Timeout = flags?["timeout"] is JsonValue t && t.TryGetValue<double>(out var ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms) : null,
        };
    }

    /// <summary>A list of room names (Node.js rooms may be numbers); empty when absent.</summary>
    public static IReadOnlySet<string> RoomSet(JsonNode? node)
    {
        if (node is not JsonArray array || array.Count == 0) return BroadcastOptions.EmptySet;
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array)
            if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String) set.Add(v.GetValue<string>());
            else if (item is JsonValue number && number.GetValueKind() == JsonValueKind.Number) set.Add(number.ToJsonString()); // Node.js rooms may be numbers
        return set;
    }
}
