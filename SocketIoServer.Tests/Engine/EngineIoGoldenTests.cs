using System.Text;
using System.Text.Json.Nodes;
using SocketIoServer.Engine;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Engine;

/// <summary>
/// Our Engine.IO codec against what the Node.js engine.io-parser 5.2 really produces and accepts
/// (protocol-fixtures/engineio-*.json). Packets are single WebSocket frames; payloads are polling bodies.
/// </summary>
[TestFixture]
public sealed class EngineIoGoldenTests
{
    private static readonly string[] TypeNames = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];

    public static IEnumerable<TestCaseData> Packets => GoldenFiles.Cases("engineio-packets.json");

    public static IEnumerable<TestCaseData> Payloads => GoldenFiles.Cases("engineio-payloads.json");

    public static IEnumerable<TestCaseData> Errors => GoldenFiles.Cases("engineio-decode-errors.json");

    public static IEnumerable<TestCaseData> Lenient => GoldenFiles.Cases("engineio-decode-lenient.json");

    private static OutboundFrame ToFrame(JsonNode packet)
    {
        var type = Array.IndexOf(TypeNames, packet["type"]!.GetValue<string>());
        var data = packet["data"];
        if (GoldenFiles.IsBinary(data, out var bytes)) return OutboundFrame.Binary(bytes);
        var text = data?.GetValue<string>() ?? "";
        return OutboundFrame.Text(Encoding.UTF8.GetBytes((char)('0' + type) + text));
    }

    private static JsonObject ToJson(EnginePacketType type, ReadOnlySpan<byte> data, bool binary)
    {
        var node = new JsonObject { ["type"] = TypeNames[(byte)type - '0'] };
        if (binary) node["data"] = new JsonObject { ["$binary"] = Convert.ToBase64String(data) };
        else if (!data.IsEmpty) node["data"] = Encoding.UTF8.GetString(data);
        return node;
    }

    private static JsonArray DecodePayload(string payload)
    {
        var packets = new JsonArray();
        var ok = EnginePacketCodec.DecodePayload(Encoding.UTF8.GetBytes(payload), packets, static (list, p) =>
        {
            list.Add(ToJson(p.Type, p.Data, p.IsBinary));
            return true;
        });
        if (!ok) packets.Add(new JsonObject { ["type"] = "error", ["data"] = "parser error" });
        return packets;
    }

    private static JsonObject DecodeFrame(string frame) =>
        EnginePacketCodec.TryParseText(Encoding.UTF8.GetBytes(frame), out var type, out var data)
            ? ToJson(type, data, false)
            : new JsonObject { ["type"] = "error", ["data"] = "parser error" };

    private static void AssertJson(JsonNode actual, JsonNode? expected) =>
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, $"expected {expected?.ToJsonString()}, got {actual.ToJsonString()}");

    [TestCaseSource(nameof(Packets))]
    public void Packet_encodes_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        var frame = ToFrame(c["packet"]!);
        var encoded = c["encoded"]!;
        if (GoldenFiles.IsBinary(encoded, out var bytes))
        {
            Assert.That(frame.IsBinary, Is.True);
            Assert.That(frame.Data.ToArray(), Is.EqualTo(bytes));
        }
        else
        {
            Assert.That(frame.ToString(), Is.EqualTo(encoded.GetValue<string>()));
        }
        // in a polling payload a single binary packet is "b" + base64: Node's encodedNoBinary
        var payload = new byte[EnginePacketCodec.PayloadLength([frame])];
        var written = EnginePacketCodec.WritePayload([frame], payload);
        Assert.That(Encoding.UTF8.GetString(payload, 0, written), Is.EqualTo(c["encodedNoBinary"]!.GetValue<string>()));
    }

    [TestCaseSource(nameof(Packets))]
    public void Packet_decodes_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        var encoded = c["encoded"]!;
        if (GoldenFiles.IsBinary(encoded, out var bytes))
        {
            AssertJson(ToJson(EnginePacketType.Message, bytes, true), c["decoded"]);
            return;
        }
        AssertJson(DecodeFrame(encoded.GetValue<string>()), c["decoded"]);
    }

    [TestCaseSource(nameof(Payloads))]
    public void Payload_encodes_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        var frames = c["packets"]!.AsArray().Select(p => ToFrame(p!)).ToArray();
        var buffer = new byte[EnginePacketCodec.PayloadLength(frames)];
        var written = EnginePacketCodec.WritePayload(frames, buffer);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, written), Is.EqualTo(c["payload"]!.GetValue<string>()));
    }

    [TestCaseSource(nameof(Payloads))]
    public void Payload_decodes_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        AssertJson(DecodePayload(c["payload"]!.GetValue<string>()), c["decoded"]);
    }

    [TestCaseSource(nameof(Errors))]
    public void Rejects_as_Node(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        if (c["frame"] is { } frame) AssertJson(DecodeFrame(frame.GetValue<string>()), c["decoded"]);
        else AssertJson(DecodePayload(c["payload"]!.GetValue<string>()), c["decoded"]);
    }

    [TestCaseSource(nameof(Lenient))]
    public void Accepts_what_Node_accepts(string file, int index)
    {
        var c = GoldenFiles.Case(file, index);
        if (c["payload"] is { } payload)
        {
            AssertJson(DecodePayload(payload.GetValue<string>()), c["decoded"]);
            return;
        }
        // a single frame as it arrives in a polling payload (where "b" means base64)
        AssertJson(DecodePayload(c["frame"]!.GetValue<string>())[0]!, c["decoded"]);
    }
}
