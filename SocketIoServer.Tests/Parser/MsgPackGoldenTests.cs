using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Parser;
using SocketIoServer.Parser.MsgPack;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Parser;

/// <summary>
/// Our msgpack parser against the npm socket.io-msgpack-parser 3.0 (notepack.io 2.2), from
/// protocol-fixtures/socketio-msgpack-*.json: the packets the Node.js server sends encode to the same bytes; every
/// message Node decodes decodes to what JSON.stringify would make of Node's result (<c>decodedAsJson</c>); every
/// message Node refuses is refused, with the same message where it is one of checkPacket's.
/// </summary>
[TestFixture]
public sealed class MsgPackGoldenTests
{
    private const string PacketsFile = "socketio-msgpack-packets.json";
    private const string ErrorsFile = "socketio-msgpack-decode-errors.json";

    public static IEnumerable<TestCaseData> ServerPackets => CasesWhere(PacketsFile, c => c["source"]!.GetValue<string>() == "server");

    public static IEnumerable<TestCaseData> AllPackets => CasesWhere(PacketsFile, _ => true);

    public static IEnumerable<TestCaseData> Errors => CasesWhere(ErrorsFile, _ => true);

    /// <summary>Messages Node.js decodes and we refuse on purpose (no JavaScript client sends them).</summary>
    private static readonly Dictionary<string, string> RefusedOnPurpose = new()
    {
        ["a map key that is a number"] = "JavaScript turns the key into a string; we take string keys only, the only kind notepack writes",
        ["a map key that is null"] = "as above",
        ["ack id beyond 2^63"] = "an integer to JavaScript, but no ack id of ours (a long); the JSON parser refuses it too",
        ["duplicate key inside data: the last wins in place"] =
            "as the JSON parser: a JsonObject cannot hold duplicate keys (notepack never writes them)",
    };

    private static readonly HashSet<string> CheckPacketMessages =
        ["invalid packet type", "invalid namespace", "invalid payload", "invalid packet id"];

    [TestCaseSource(nameof(ServerPackets))]
    public void Encodes_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        var packet = MsgPackFixture.Expand(c["packet"])!.AsObject();
        var nsp = packet["nsp"]!.GetValue<string>();
        var parser = MsgPackPacketParser.Instance;
        var encoded = c["serverCall"]!.GetValue<string>() switch
        {
            "emit" or "emitWithAck" => parser.EncodeEvent(nsp, packet["data"]![0]!.GetValue<string>(),
                packet["data"]!.AsArray().Skip(1).Select(MsgPackFixture.ToArgument).ToArray(), packet["id"]?.GetValue<long>()),
            "ack" => parser.EncodeAck(nsp, packet["id"]!.GetValue<long>(), packet["data"]!.AsArray().Select(MsgPackFixture.ToArgument).ToArray()),
            "connect" => parser.EncodeObject(PacketType.Connect, nsp, MsgPackFixture.ToArgument(packet["data"])),
            "connectError" => parser.EncodeObject(PacketType.ConnectError, nsp, MsgPackFixture.ToArgument(packet["data"])),
            "invalidNamespace" => parser.EncodeInvalidNamespace(nsp),
            "disconnect" => parser.EncodeDisconnect(nsp),
            var other => throw new InvalidOperationException(other),
        };

        Assert.That(encoded.IsBinary, Is.True);
        Assert.That(encoded.Attachments, Is.Empty);
        Assert.That(Convert.ToHexStringLower(encoded.Text.Span), Is.EqualTo(c["encoded"]!.GetValue<string>()));
    }

    [TestCaseSource(nameof(AllPackets))]
    public void Decodes_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        var bytes = Convert.FromHexString(c["encoded"]!.GetValue<string>());
        var decoder = MsgPackPacketParser.Instance.CreateDecoder(10);
        if (RefusedOnPurpose.ContainsKey(c["name"]!.GetValue<string>()))
        {
            Assert.Throws<PacketParseException>(() => decoder.DecodeBinary(bytes));
            return;
        }

        var packet = decoder.DecodeBinary(bytes)!;
        var actual = new JsonObject { ["type"] = (int)packet.Type, ["nsp"] = packet.Namespace };
        if (packet.Id is { } id) actual["id"] = id;
        if (packet.Data is not null) actual["data"] = GoldenFiles.WithBinaryMarkers(packet.Data);
        var expected = MsgPackFixture.Expand(c["decodedAsJson"])!;
        Assert.That(MsgPackFixture.JsEquals(actual, expected), Is.True, $"expected {Show(expected)}, got {Show(actual)}");
        Assert.That(packet.Attachments, Is.EqualTo(CountBinaries(expected["data"])));
    }

    [TestCaseSource(nameof(Errors))]
    public void Rejects_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        var decoder = MsgPackPacketParser.Instance.CreateDecoder(10);
        var ex = c["text"] is { } text
            ? Assert.Throws<PacketParseException>(() => decoder.DecodeText(Encoding.UTF8.GetBytes(text.GetValue<string>())))
            : Assert.Throws<PacketParseException>(() => decoder.DecodeBinary(Convert.FromHexString(c["encoded"]!.GetValue<string>())));
        // (a text frame means nothing to notepack: whatever it says of one is an accident of reading a string as bytes)
        var nodeMessage = c["error"]!.GetValue<string>();
        if (c["text"] is null && CheckPacketMessages.Contains(nodeMessage)) Assert.That(ex!.Message, Is.EqualTo(nodeMessage));
    }

    private static IEnumerable<TestCaseData> CasesWhere(string file, Func<JsonNode, bool> predicate) =>
        GoldenFiles.Load(file).Select((c, i) => (c: c!, i)).Where(x => predicate(x.c))
            .Select(x => new TestCaseData(file, x.i).SetName(x.c["name"]!.GetValue<string>()));

    private static int CountBinaries(JsonNode? node) => node switch
    {
        JsonObject o when GoldenFiles.IsBinary(o, out _) => 1,
        JsonObject o => o.Sum(p => CountBinaries(p.Value)),
        JsonArray a => a.Sum(CountBinaries),
        _ => 0,
    };

    private static string Show(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Length > 400 ? text[..400] + "..." : text;
    }
}

/// <summary>The msgpack fixtures' value conventions (protocol-fixtures/README.md).</summary>
internal static class MsgPackFixture
{
    /// <summary>A copy with the compact forms written out: $repeat, $repeatString, $repeatBinary, $repeatArrayBuffer.</summary>
    public static JsonNode? Expand(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } o when o.First().Key.StartsWith("$repeat", StringComparison.Ordinal):
                var (key, value) = o.First();
                var what = value![0]!;
                var count = value[1]!.GetValue<int>();
                return key switch
                {
                    "$repeat" => new JsonArray(Enumerable.Range(0, count).Select(_ => what.DeepClone()).ToArray()),
                    "$repeatString" => JsonValue.Create(string.Concat(Enumerable.Repeat(what.GetValue<string>(), count))),
                    _ => new JsonObject { ["$binary"] = Convert.ToBase64String(Enumerable.Repeat(what.GetValue<byte>(), count).ToArray()) },
                };
            case JsonObject o:
                return new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Expand(p.Value))));
            case JsonArray a:
                return new JsonArray(a.Select(Expand).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>
    /// A fixture value as a server would pass it to Emit: scalars as CLR values (so the encoder's direct paths run),
    /// binary as byte[], containers as JSON nodes with byte[] inside (the JSON path); keys whose value is
    /// {"$undefined"} are left out (the encoder adds the ones Node writes).
    /// </summary>
    public static object? ToArgument(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o when o.Count == 1 && o.ContainsKey("$number") => o["$number"]!.GetValue<string>() switch
        {
            "-0" => -0.0,
            var text => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
        },
        JsonObject o when GoldenFiles.IsBinary(o, out var bytes) => bytes,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => v.TryGetValue<long>(out var l) ? l : v.GetValue<double>(),
        },
        _ => GoldenFiles.WithBytes(WithoutUndefined(node)),
    };

    private static JsonNode? WithoutUndefined(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => !(p.Value is JsonObject { Count: 1 } u && u.ContainsKey("$undefined")))
            .Select(p => KeyValuePair.Create(p.Key, WithoutUndefined(p.Value)))),
        JsonArray a => new JsonArray(a.Select(WithoutUndefined).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>Equality of JavaScript values: numbers by their double value (2^63 and 9223372036854776000 are one number).</summary>
    public static bool JsEquals(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var other) && JsEquals(p.Value, other)),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => JsEquals(p.First, p.Second)),
        (JsonValue x, JsonValue y) when x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number =>
            AsDouble(x) == AsDouble(y),
        (JsonValue x, JsonValue y) => JsonNode.DeepEquals(x, y),
        _ => false,
    };

    private static double AsDouble(JsonValue value) =>
        double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
