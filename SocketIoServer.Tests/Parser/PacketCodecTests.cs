using System.Text;
using System.Text.Json.Nodes;
using SocketIoServer.Parser;

namespace SocketIoServer.Tests.Parser;

/// <summary>Hand-written cases of the Socket.IO codec; the golden files cover the rest.</summary>
[TestFixture]
public sealed class PacketCodecTests
{
    private static string Encode(EncodedPacket packet) => Encoding.UTF8.GetString(packet.Text.Span);

    [Test]
    public void Events_are_encoded_like_JSON_stringify()
    {
        var packet = PacketEncoder.EncodeEvent(""u8, "/", "m", ["é😀\u2028", "q\"b\\", "\u0001\u001b\n\t", 1.5, null, true]);
        Assert.That(Encode(packet), Is.EqualTo("2[\"m\",\"é😀\u2028\",\"q\\\"b\\\\\",\"\\u0001\\u001b\\n\\t\",1.5,null,true]"));
    }

    [Test]
    public void Namespace_and_ack_id_go_before_the_payload()
    {
        var packet = PacketEncoder.EncodeEvent("4"u8, "/custom", "ev", [1], id: 12);
        Assert.That(Encode(packet), Is.EqualTo("42/custom,12[\"ev\",1]"));
    }

    [Test]
    public void Binary_values_become_placeholders_and_attachments()
    {
        var packet = PacketEncoder.EncodeEvent(""u8, "/", "bin", [new byte[] { 1 }, new { nested = new byte[] { 2, 3 } }]);
        Assert.That(Encode(packet), Is.EqualTo("52-[\"bin\",{\"_placeholder\":true,\"num\":0},{\"nested\":{\"_placeholder\":true,\"num\":1}}]"));
        Assert.That(packet.Attachments.Select(a => a.ToArray()), Is.EqualTo(new[] { new byte[] { 1 }, new byte[] { 2, 3 } }));
    }

    [Test]
    public void Every_binary_type_anywhere_in_the_arguments_becomes_an_attachment()
    {
        var args = new object?[]
        {
            new ReadOnlyMemory<byte>([1]),
            new { segment = new ArraySegment<byte>([9, 2, 9], 1, 1), memory = new Memory<byte>([3]) },
        };
        var packet = PacketEncoder.EncodeEvent(""u8, "/", "b", args);
        Assert.That(Encode(packet), Is.EqualTo("53-[\"b\",{\"_placeholder\":true,\"num\":0},{\"segment\":{\"_placeholder\":true,\"num\":1},\"memory\":{\"_placeholder\":true,\"num\":2}}]"));
        Assert.That(packet.Attachments.Select(a => a.ToArray()), Is.EqualTo(new[] { new byte[] { 1 }, new byte[] { 2 }, new byte[] { 3 } }));
    }

    [Test]
    public void An_ack_with_binary_is_a_binary_ack()
    {
        var packet = PacketEncoder.EncodeAck(""u8, "/", 789, [new byte[] { 1, 2, 3 }]);
        Assert.That(Encode(packet), Is.EqualTo("61-789[{\"_placeholder\":true,\"num\":0}]"));
    }

    [Test]
    public void A_decoded_binary_packet_re_encodes_to_the_same_frames()
    {
        var decoder = new PacketDecoder();
        Assert.That(decoder.DecodeText("52-[\"m\",{\"_placeholder\":true,\"num\":0},{\"a\":[{\"_placeholder\":true,\"num\":1}]}]"u8), Is.Null);
        Assert.That(decoder.DecodeBinary([1, 2]), Is.Null);
        var packet = decoder.DecodeBinary([3])!;
        Assert.That(packet.Type, Is.EqualTo(PacketType.Event));
        var args = packet.Data!.AsArray();
        Assert.That(args[1]!.GetValue<byte[]>(), Is.EqualTo(new byte[] { 1, 2 }));
        var echo = PacketEncoder.EncodeEvent(""u8, "/", "m", args.Skip(1).ToArray());
        Assert.That(Encode(echo), Is.EqualTo("52-[\"m\",{\"_placeholder\":true,\"num\":0},{\"a\":[{\"_placeholder\":true,\"num\":1}]}]"));
        Assert.That(echo.Attachments[1].ToArray(), Is.EqualTo(new byte[] { 3 }));
    }

    [Test]
    public void Connect_packets_decode_namespace_and_auth()
    {
        var packet = new PacketDecoder().DecodeText("0/admin,{\"token\":\"123\"}"u8)!;
        Assert.That(packet.Type, Is.EqualTo(PacketType.Connect));
        Assert.That(packet.Namespace, Is.EqualTo("/admin"));
        Assert.That(packet.Data!["token"]!.GetValue<string>(), Is.EqualTo("123"));
    }

    [Test]
    public void A_namespace_without_comma_runs_to_the_end()
    {
        var packet = new PacketDecoder().DecodeText("0/random"u8)!;
        Assert.That(packet.Namespace, Is.EqualTo("/random"));
        Assert.That(packet.Data, Is.Null);
    }

    [Test]
    public void Ack_ids_are_read()
    {
        var packet = new PacketDecoder().DecodeText("2456[\"m\",1]"u8)!;
        Assert.That(packet.Id, Is.EqualTo(456));
        Assert.That(packet.Data!.ToJsonString(), Is.EqualTo("[\"m\",1]"));
    }

    [TestCase("8", "unknown packet type 8")]
    [TestCase("abc", "unknown packet type NaN")]
    [TestCase("2{}", "invalid payload")]
    [TestCase("2abc[\"m\"]", "invalid payload")]
    [TestCase("2[\"connect\"]", "invalid payload")]
    [TestCase("2[\"disconnecting\"]", "invalid payload")]
    [TestCase("2[]", "invalid payload")]
    [TestCase("2[{}]", "invalid payload")]
    [TestCase("0[]", "invalid payload")]
    [TestCase("1{}", "invalid payload")]
    [TestCase("3{}", "invalid payload")]
    [TestCase("2[\"m\"", "invalid payload")]
    [TestCase("5-[\"m\"]", "Illegal attachments")]
    [TestCase("5a-[\"m\"]", "Illegal attachments")]
    [TestCase("51[\"m\"]", "Illegal attachments")]
    [TestCase("511-[\"m\"]", "too many attachments")]
    public void Malformed_packets_are_rejected(string frame, string message)
    {
        var ex = Assert.Throws<PacketParseException>(() => new PacketDecoder().DecodeText(Encoding.UTF8.GetBytes(frame)));
        Assert.That(ex!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Binary_data_outside_a_binary_packet_is_rejected()
    {
        var ex = Assert.Throws<PacketParseException>(() => new PacketDecoder().DecodeBinary([1]));
        Assert.That(ex!.Message, Is.EqualTo("got binary data when not reconstructing a packet"));
    }

    [Test]
    public void Text_while_attachments_are_expected_is_rejected()
    {
        var decoder = new PacketDecoder();
        decoder.DecodeText("52-[\"m\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"u8);
        decoder.DecodeBinary([1]);
        var ex = Assert.Throws<PacketParseException>(() => decoder.DecodeText("2[\"m\"]"u8));
        Assert.That(ex!.Message, Is.EqualTo("got plaintext data when reconstructing a packet"));
    }

    [Test]
    public void A_placeholder_pointing_past_the_attachments_is_rejected()
    {
        var decoder = new PacketDecoder();
        decoder.DecodeText("51-[\"m\",{\"_placeholder\":true,\"num\":3}]"u8);
        var ex = Assert.Throws<PacketParseException>(() => decoder.DecodeBinary([1]));
        Assert.That(ex!.Message, Is.EqualTo("illegal attachments"));
    }

    [Test]
    public void Very_deep_json_is_rejected_but_reasonable_depth_is_fine()
    {
        var ok = "2[\"m\"," + new string('[', 500) + new string(']', 500) + "]";
        Assert.That(new PacketDecoder().DecodeText(Encoding.UTF8.GetBytes(ok)), Is.Not.Null);
        var deep = "2[\"m\"," + new string('[', 100_000) + new string(']', 100_000) + "]";
        Assert.Throws<PacketParseException>(() => new PacketDecoder().DecodeText(Encoding.UTF8.GetBytes(deep)));
    }

    [Test]
    public void Json_nodes_pass_through_unchanged()
    {
        var node = JsonNode.Parse("{\"a\":[1,\"x\",{\"b\":null}],\"é\":\"😀\"}");
        var packet = PacketEncoder.EncodeEvent(""u8, "/", "m", [node]);
        Assert.That(Encode(packet), Is.EqualTo("2[\"m\",{\"a\":[1,\"x\",{\"b\":null}],\"é\":\"😀\"}]"));
    }

    [Test]
    public void Connect_error_with_and_without_data()
    {
        Assert.That(Encode(PacketEncoder.EncodeObject(""u8, PacketType.ConnectError, "/x", new { message = "no" })),
            Is.EqualTo("4/x,{\"message\":\"no\"}"));
    }
}
