using System.Text.Json.Nodes;
using SocketIoServer.Parser;
using SocketIoServer.Server;

namespace SocketIoServer.Tests.Server;

/// <summary>
/// The pieces of Socket.IO for v3 clients, against what Node.js computes: namespaces read with
/// <c>new URL(nsp, "https://socket.io")</c> (expected values taken from Node.js 20), socket ids and refusal payloads.
/// </summary>
[TestFixture]
public sealed class LegacyClientProtocolTests
{
    // [nsp, pathname, auth as Object.fromEntries(url.searchParams)], as printed by Node.js
    [TestCase("/chat", "/chat", "{}")]
    [TestCase("/chat?token=abc", "/chat", """{"token":"abc"}""")]
    [TestCase("/é?x=é", "/%C3%A9", """{"x":"é"}""")]
    [TestCase("/ch at", "/ch%20at", "{}")]
    [TestCase("chat", "/chat", "{}")]
    [TestCase("\\chat", "/chat", "{}")]
    [TestCase("/a%41", "/a%41", "{}")]
    [TestCase("//evil/x", "/x", "{}")]
    [TestCase("//evil", "/", "{}")]
    [TestCase("/a/./b/../c", "/a/c", "{}")]
    [TestCase("/a/b/..", "/a/", "{}")]
    [TestCase("/a/.", "/a/", "{}")]
    [TestCase("/a/%2E%2e/b", "/b", "{}")]
    [TestCase("/{x}|^", "/%7Bx%7D|^", "{}")]
    [TestCase("/chat#frag", "/chat", "{}")]
    [TestCase("?x=1", "/", """{"x":"1"}""")]
    [TestCase("/a?b=%zz&c", "/a", """{"b":"%zz","c":""}""")]
    [TestCase("/a?x=1&x=2&y=a+b%20c", "/a", """{"x":"2","y":"a b c"}""")]
    [TestCase("  /padded  ", "/padded", "{}")]
    [TestCase("/a\tb", "/ab", "{}")]
    [TestCase("/a//b", "/a//b", "{}")]
    [TestCase("/😀", "/%F0%9F%98%80", "{}")]
    public void A_CONNECT_namespace_is_read_as_Node_reads_the_URL(string nsp, string path, string auth)
    {
        var packet = LegacyClientProtocol.WithNamespacePath(new SocketIoPacket { Type = PacketType.Connect, Namespace = nsp });
        Assert.That(packet, Is.Not.Null);
        Assert.That(packet!.Namespace, Is.EqualTo(path));
        Assert.That(JsonNode.DeepEquals(packet.Data, JsonNode.Parse(auth)), Is.True, packet.Data?.ToJsonString());
    }

    [Test]
    public void Other_packets_keep_their_data_and_plain_namespaces_are_kept_as_they_are()
    {
        var data = new JsonArray("ev", 1);
        var evt = new SocketIoPacket { Type = PacketType.Event, Namespace = "/chat?x=1", Id = 3, Data = data };
        var parsed = LegacyClientProtocol.WithNamespacePath(evt)!;
        Assert.That((parsed.Namespace, parsed.Id, parsed.Data), Is.EqualTo(("/chat", (long?)3, (JsonNode)data)));

        var plain = new SocketIoPacket { Type = PacketType.Event, Namespace = "/chat", Data = data };
        Assert.That(LegacyClientProtocol.WithNamespacePath(plain), Is.SameAs(plain), "no copy for the usual namespaces");
    }

    [TestCase("//[bad")]
    [TestCase("//a b/c")]
    public void A_namespace_that_is_no_URL_is_refused(string nsp)
    {
        Assert.That(LegacyClientProtocol.WithNamespacePath(new SocketIoPacket { Type = PacketType.Connect, Namespace = nsp }), Is.Null);
    }

    [Test]
    public void Socket_ids_are_the_engine_id_and_nsp_hash_engine_id()
    {
        Assert.That(LegacyClientProtocol.SocketId("/", "abc"), Is.EqualTo("abc"));
        Assert.That(LegacyClientProtocol.SocketId("/chat", "abc"), Is.EqualTo("/chat#abc"));
    }

    [TestCase(null, "4\"boom\"")]
    [TestCase("", "4\"boom\"")]
    [TestCase(0, "4\"boom\"")]
    [TestCase(0.0, "4\"boom\"")]
    [TestCase(false, "4\"boom\"")]
    [TestCase(true, "4true")]
    [TestCase(7, "47")]
    [TestCase("why", "4\"why\"")]
    public void A_refusal_sends_err_data_or_err_message(object? data, string expected)
    {
        var packet = LegacyClientProtocol.ConnectError("/", new ConnectionRefusedException("boom", data));
        Assert.That(packet.ToString(), Is.EqualTo("4" + expected));
    }

    [Test]
    public void A_refusal_with_object_or_JSON_data_sends_the_data()
    {
        Assert.That(LegacyClientProtocol.ConnectError("/chat", new ConnectionRefusedException("boom", new { code = 1 })).ToString(),
            Is.EqualTo("44/chat,{\"code\":1}"));
        Assert.That(LegacyClientProtocol.ConnectError("/", new ConnectionRefusedException("boom", JsonValue.Create(0))).ToString(),
            Is.EqualTo("44\"boom\""));
        Assert.That(LegacyClientProtocol.ConnectError("/", new InvalidOperationException("other")).ToString(), Is.EqualTo("44\"other\""));
    }

    [Test]
    public void The_CONNECT_reply_has_no_payload()
    {
        Assert.That(LegacyClientProtocol.ConnectReply("/").ToString(), Is.EqualTo("40"));
        Assert.That(LegacyClientProtocol.ConnectReply("/chat").ToString(), Is.EqualTo("40/chat,"));
    }
}
