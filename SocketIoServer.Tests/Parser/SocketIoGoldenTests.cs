using System.Text;
using System.Text.Json.Nodes;
using SocketIoServer.Parser;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Parser;

/// <summary>
/// Our Socket.IO codec against what the Node.js socket.io-parser 4.2 really produces and accepts
/// (protocol-fixtures/socketio-*.json), in both directions.
/// </summary>
[TestFixture]
public sealed class SocketIoGoldenTests
{
    public static IEnumerable<TestCaseData> Packets => GoldenFiles.Cases("socketio-packets.json");

    public static IEnumerable<TestCaseData> Errors => GoldenFiles.Cases("socketio-decode-errors.json");

    public static IEnumerable<TestCaseData> Lenient => GoldenFiles.Cases("socketio-decode-lenient.json");

    /// <summary>
    /// Where we deliberately differ from Node.js: these inputs are refused as "invalid payload" (the connection that
    /// sends them is closed) instead of decoded. JSON.stringify never produces them.
    /// </summary>
    private static readonly Dictionary<string, string> RefusedOnPurpose = new()
    {
        ["event with lone surrogate"] = "no .NET string can hold a lone UTF-16 surrogate",
        ["duplicate keys keep the last value"] = "JsonObject cannot hold duplicate keys; refusing beats guessing",
    };

    private static bool IsRefusedOnPurpose(JsonNode c, JsonArray frames)
    {
        if (!RefusedOnPurpose.ContainsKey(c["name"]!.GetValue<string>())) return false;
        var ex = Assert.Throws<PacketParseException>(() => DecodeAll(frames));
        Assert.That(ex!.Message, Is.EqualTo("invalid payload"));
        return true;
    }

    [TestCaseSource(nameof(Packets))]
    public void Encodes_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        if (RefusedOnPurpose.ContainsKey(c["name"]!.GetValue<string>()))
        {
            IsRefusedOnPurpose(c, c["encoded"]!.AsArray());
            return;
        }
        var packet = c["packet"]!;
        var type = (PacketType)packet["type"]!.GetValue<int>();
        var nsp = packet["nsp"]?.GetValue<string>() ?? "/";
        long? id = packet["id"] is { } idNode ? idNode.GetValue<long>() : null;
        var data = GoldenFiles.WithBytes(packet["data"]);
        var encoded = PacketEncoder.Encode(""u8, type, nsp, id, data,
            packet["data"] is null ? null : static (w, d) => PacketEncoder.WriteValue(w, d));

        var frames = new JsonArray { Encoding.UTF8.GetString(encoded.Text.Span) };
        foreach (var a in encoded.Attachments) frames.Add(new JsonObject { ["$binary"] = Convert.ToBase64String(a.Span) });
        Assert.That(frames.ToJsonString(), Is.EqualTo(c["encoded"]!.ToJsonString()));
    }

    [TestCaseSource(nameof(Packets))]
    public void Decodes_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        if (IsRefusedOnPurpose(c, c["encoded"]!.AsArray())) return;
        var decoded = DecodeAll(c["encoded"]!.AsArray());
        Assert.That(decoded, Has.Count.EqualTo(1));
        AssertSamePacket(decoded[0], c["decoded"]!);
    }

    [TestCaseSource(nameof(Errors))]
    public void Rejects_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        var frames = c["frames"]!.AsArray();
        var errorAt = c["errorAtFrame"]!.GetValue<int>();
        var decoder = new PacketDecoder();
        for (var i = 0; i < frames.Count; i++)
        {
            if (i < errorAt)
            {
                Feed(decoder, frames[i]);
                continue;
            }
            var ex = Assert.Throws<PacketParseException>(() => Feed(decoder, frames[i]));
            Assert.That(ex!.Message, Is.EqualTo(c["error"]!.GetValue<string>()));
            return;
        }
        Assert.Fail("no frame was rejected");
    }

    [TestCaseSource(nameof(Lenient))]
    public void Accepts_what_Node_accepts(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        if (IsRefusedOnPurpose(c, c["frames"]!.AsArray())) return;
        var decoded = DecodeAll(c["frames"]!.AsArray());
        var expected = c["decoded"]!.AsArray();
        Assert.That(decoded, Has.Count.EqualTo(expected.Count));
        for (var i = 0; i < expected.Count; i++) AssertSamePacket(decoded[i], expected[i]!);
    }

    private static List<SocketIoPacket> DecodeAll(JsonArray frames)
    {
        var decoder = new PacketDecoder();
        var result = new List<SocketIoPacket>();
        foreach (var frame in frames)
        {
            if (Feed(decoder, frame) is { } packet) result.Add(packet);
        }
        return result;
    }

    private static SocketIoPacket? Feed(PacketDecoder decoder, JsonNode? frame) =>
        GoldenFiles.IsBinary(frame, out var bytes)
            ? decoder.DecodeBinary(bytes)
            : decoder.DecodeText(Encoding.UTF8.GetBytes(frame!.GetValue<string>()));

    private static void AssertSamePacket(SocketIoPacket actual, JsonNode expected)
    {
        var node = new JsonObject { ["type"] = (int)actual.Type, ["nsp"] = actual.Namespace };
        if (actual.Id is { } id) node["id"] = id;
        if (actual.Data is not null) node["data"] = GoldenFiles.WithBinaryMarkers(actual.Data);
        var want = expected.DeepClone().AsObject();
        want.Remove("attachments");
        Assert.That(JsonNode.DeepEquals(node, want), Is.True, $"expected {want.ToJsonString()}, got {node.ToJsonString()}");
    }
}
