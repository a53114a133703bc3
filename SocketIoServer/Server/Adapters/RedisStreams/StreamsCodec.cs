using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Parser;
using SocketIoServer.Parser.MsgPack;
using SocketIoServer.Server.Recovery;
using StackExchange.Redis;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>
/// The two forms of a message of npm <c>@socket.io/redis-streams-adapter</c> 0.3: a stream entry with the fields
/// <c>uid, nsp, type</c> (its number as text) and <c>data</c> (JSON text, or base64 MessagePack when it holds binary
/// and its type may carry some); a pub/sub payload, the whole message <c>{uid, nsp, type, data}</c> as MessagePack.
/// Also the saved session, base64 MessagePack of <c>{sid, pid, rooms, data}</c>.
/// </summary>
internal static class StreamsCodec
{
    public static NameValueEntry[] StreamEntry(string uid, string nsp, ClusterMessageType type, Action<ClusterWriter> writeData, bool onlyPlaintext) =>
    [
        new("uid", uid),
        new("nsp", nsp),
        new("type", ((int)type).ToString(CultureInfo.InvariantCulture)),
        new("data", StreamData(writeData, MayContainBinary(type) && !onlyPlaintext)),
    ];

    private static bool MayContainBinary(ClusterMessageType type) => type is ClusterMessageType.Broadcast
        or ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmit
        or ClusterMessageType.ServerSideEmitResponse or ClusterMessageType.BroadcastAck;

    /// <summary>JSON; written again as base64 MessagePack when binary turned up and may be kept.</summary>
    private static string StreamData(Action<ClusterWriter> writeData, bool keepBinary)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var binaries = new List<ReadOnlyMemory<byte>>();
        // without a collector a binary value is written as its base64 text (the plaintext form)
        var previous = AttachmentCollector.Swap(keepBinary ? binaries : null);
        try
        {
            using var json = new Utf8JsonWriter(buffer, SocketIoJson.WriterOptions);
            writeData(new JsonClusterWriter(json));
            json.Flush();
        }
        finally
        {
            AttachmentCollector.Restore(previous);
        }
        return binaries.Count == 0 ? Encoding.UTF8.GetString(buffer.WrittenSpan) : Convert.ToBase64String(MsgPack(writeData));
    }

    private static byte[] MsgPack(Action<ClusterWriter> write)
    {
        var encoder = MsgPackEncoder.Rent();
        try
        {
            write(new MsgPackClusterWriter(encoder));
            return encoder.ToPacket().Text.ToArray();
        }
        finally
        {
            encoder.Return();
        }
    }

    public static byte[] PubSub(string uid, string nsp, ClusterMessageType type, Action<ClusterWriter> writeData) => MsgPack(w =>
    {
        w.Map(4);
        w.Key("uid");
        w.String(uid);
        w.Key("nsp");
        w.String(nsp);
        w.Key("type");
        w.Integer((int)type);
        w.Key("data");
        writeData(w);
        w.EndMap();
    });

    /// <summary>A stream entry's message; null when it names no namespace (Node.js skips those too).</summary>
    public static ClusterMessage? FromStream(NameValueEntry[] fields)
    {
        string? uid = null, nsp = null, type = null, data = null;
        foreach (var field in fields)
        {
            switch ((string?)field.Name)
            {
                case "uid": uid = field.Value; break;
                case "nsp": nsp = field.Value; break;
                case "type": type = field.Value; break;
                case "data": data = field.Value; break;
            }
        }
        if (string.IsNullOrEmpty(nsp)) return null;
        if (!int.TryParse(type, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            throw new InvalidDataException($"type '{type}' is not a number");
        JsonObject? decoded = null;
        if (!string.IsNullOrEmpty(data))
            decoded = data[0] == '{' ? JsonNode.Parse(data) as JsonObject : DecodeMsgPack(Convert.FromBase64String(data)) as JsonObject;
        return new ClusterMessage(uid ?? "", nsp, number, decoded);
    }

    public static ClusterMessage? FromPubSub(byte[] payload)
    {
        if (DecodeMsgPack(payload) is not JsonObject message) return null;
        if (ClusterJson.Text(message["nsp"]) is not { } nsp) return null;
        if (message["type"] is not JsonValue t || !t.TryGetValue<int>(out var type)) return null;
        return new ClusterMessage(ClusterJson.Text(message["uid"]) ?? "", nsp, type, message["data"] as JsonObject);
    }

    /// <summary>Checked first, so that a truncated or hostile payload is refused before anything is built.</summary>
    private static JsonNode? DecodeMsgPack(byte[] bytes)
    {
        var reader = new MsgPackReader(bytes);
        reader.Read();
        MsgPackScanner.Scan(ref reader, 1);
        if (reader.Position != bytes.Length) throw new InvalidDataException("bytes after the MessagePack value");
        return MsgPackToJson.Decode(bytes, 0, out _);
    }

    public static string Session(PersistedSession session) => Convert.ToBase64String(MsgPack(w =>
    {
        w.Map(4);
        w.Key("sid");
        w.String(session.Sid);
        w.Key("pid");
        w.String(session.Pid);
        w.Key("rooms");
        w.Strings(session.Rooms);
        w.Key("data");
        w.Map(session.Data.Count);
        foreach (var (key, value) in session.Data)
        {
            w.Key(key);
            w.Value(value);
        }
        w.EndMap();
        w.EndMap();
    }));

    /// <summary>A saved session; null when it is not one (written by something else under our key).</summary>
    public static PersistedSession? Session(string saved)
    {
        if (DecodeMsgPack(Convert.FromBase64String(saved)) is not JsonObject session) return null;
        if (ClusterJson.Text(session["sid"]) is not { } sid || ClusterJson.Text(session["pid"]) is not { } pid) return null;
        var rooms = session["rooms"] is JsonArray list ? list.Select(ClusterJson.Text).OfType<string>().ToList() : [];
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (session["data"] is JsonObject fields)
            foreach (var (key, value) in fields) data[key] = value?.DeepClone();
        return new PersistedSession(sid, pid, rooms, data);
    }
}
