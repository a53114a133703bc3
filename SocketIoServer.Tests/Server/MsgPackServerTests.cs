using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using SocketIoServer.Parser;
using SocketIoServer.Parser.MsgPack;
using SocketIoServer.Server;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server;

/// <summary>
/// A server with the msgpack parser over real connections: the protocol fixture started with <c>--parser msgpack</c>
/// (raw WebSocket and raw long-polling clients speaking socket.io-msgpack-parser's messages), and a TestHost for
/// refusals, server-side acks and disconnects. Node's bytes are checked where the packet is fully known.
/// </summary>
[TestFixture]
public sealed class MsgPackServerTests
{
    private FixtureServer _fixture = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _fixture = await FixtureServer.StartAsync(5000, 5000, "--parser", "msgpack");

    [OneTimeTearDown]
    public async Task StopAsync() => await _fixture.DisposeAsync();

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string HexOf(string text) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));

    /// <summary>Opens a WebSocket session and connects "/" with <paramref name="auth"/>; returns it after the "auth" event.</summary>
    private static async Task<(RawWebSocket Socket, string Sid)> ConnectAsync(string wsUrl, JsonObject? auth = null, string nsp = "/")
    {
        var ws = await RawWebSocket.ConnectAsync($"{wsUrl}/socket.io/?EIO=4&transport=websocket");
        Assert.That((string)(await ws.ReceiveAsync())!, Does.StartWith("0{"));
        await ws.SendBinaryAsync(MsgPackClient.Connect(nsp, auth));
        var reply = await ReceiveBinaryAsync(ws);
        var connect = MsgPackClient.Decode(reply);
        Assert.That(connect.Type, Is.EqualTo(PacketType.Connect));
        var sid = connect.Data!["sid"]!.GetValue<string>();
        // {type: 0, data: {sid, pid: undefined}, nsp}, as Node.js 4.8 writes it
        Assert.That(Hex(reply), Is.EqualTo($"83a47479706500a46461746182a3736964b4{HexOf(sid)}a3706964d40000a36e7370{NspHex(nsp)}"));
        return (ws, sid);
    }

    private static string NspHex(string nsp) => $"{0xa0 | Encoding.UTF8.GetByteCount(nsp):x2}{HexOf(nsp)}";

    /// <summary>The next binary message, answering pings.</summary>
    private static async Task<byte[]> ReceiveBinaryAsync(RawWebSocket ws)
    {
        while (true)
        {
            var frame = await ws.ReceiveAsync();
            switch (frame)
            {
                case byte[] bytes:
                    return bytes;
                case "2":
                    await ws.SendTextAsync("3");
                    continue;
                default:
                    throw new AssertionException($"expected a binary message, got {frame ?? "the close"}");
            }
        }
    }

    private static async Task<SocketIoPacket> ReceivePacketAsync(RawWebSocket ws) => MsgPackClient.Decode(await ReceiveBinaryAsync(ws));

    [Test]
    public async Task Connect_auth_event_echo_and_ack_over_WebSocket()
    {
        var (ws, _) = await ConnectAsync(_fixture.WsUrl, new JsonObject { ["token"] = "t", ["n"] = 1 });
        await using var _ws = ws;
        // {type: 2, data: ["auth", {token: "t", n: 1}], nsp: "/"}
        Assert.That(Hex(await ReceiveBinaryAsync(ws)), Is.EqualTo("83a47479706502a46461746192a461757468" + "82a5746f6b656ea174a16e01" + "a36e7370a12f"));

        var nested = new JsonObject { ["nested"] = JsonValue.Create(new byte[] { 3 }) };
        await ws.SendBinaryAsync(MsgPackClient.Event("/", null, "message", "é", 1.5, new byte[] { 1, 2 }, nested));
        var back = await ReceivePacketAsync(ws);
        Assert.That(back.Type, Is.EqualTo(PacketType.Event));
        Assert.That(back.Data![0]!.GetValue<string>(), Is.EqualTo("message-back"));
        Assert.That(back.Data[1]!.GetValue<string>(), Is.EqualTo("é"));
        Assert.That(back.Data[2]!.GetValue<double>(), Is.EqualTo(1.5));
        Assert.That(back.Data[3]!.GetValue<byte[]>(), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(back.Data[4]!["nested"]!.GetValue<byte[]>(), Is.EqualTo(new byte[] { 3 }));

        await ws.SendBinaryAsync(MsgPackClient.Event("/", 7, "message-with-ack", new byte[] { 9 }, null, true));
        var ack = await ReceiveBinaryAsync(ws);
        // {id: 7, type: 3, data: [bin(09), null, true], nsp: "/"}
        Assert.That(Hex(ack), Is.EqualTo("84a2696407a47479706503a46461746193c40109c0c3a36e7370a12f"));
    }

    [Test]
    public async Task Connect_echo_and_ack_over_long_polling()
    {
        using var polling = new Polling(_fixture.Url, "/socket.io/");
        var sid = await polling.OpenAsync();
        string B64(byte[] message) => "b" + Convert.ToBase64String(message);

        Assert.That((await polling.PostAsync(sid, B64(MsgPackClient.Connect()))).Status, Is.EqualTo(HttpStatusCode.OK));
        var packets = new List<SocketIoPacket>();
        while (packets.Count < 2)
        {
            var (status, body) = await polling.GetAsync(sid);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            foreach (var record in body.Split('\u001e'))
            {
                Assert.That(record, Does.StartWith("b"), "binary messages travel as b<base64> over polling");
                packets.Add(MsgPackClient.Decode(Convert.FromBase64String(record[1..])));
            }
        }
        Assert.That(packets[0].Type, Is.EqualTo(PacketType.Connect));
        Assert.That(packets[1].Data!.ToJsonString(), Is.EqualTo("[\"auth\",{}]"));

        var post = B64(MsgPackClient.Event("/", 3, "message-with-ack", new byte[] { 1, 2, 3 }, "x")) + "\u001e" +
            B64(MsgPackClient.Event("/", null, "message", 42));
        Assert.That((await polling.PostAsync(sid, post)).Status, Is.EqualTo(HttpStatusCode.OK));
        var answers = new List<SocketIoPacket>();
        while (answers.Count < 2)
        {
            var (_, body) = await polling.GetAsync(sid);
            answers.AddRange(body.Split('\u001e').Select(r => MsgPackClient.Decode(Convert.FromBase64String(r[1..]))));
        }
        Assert.That(answers[0].Type, Is.EqualTo(PacketType.Ack));
        Assert.That(answers[0].Id, Is.EqualTo(3));
        Assert.That(answers[0].Data![0]!.GetValue<byte[]>(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(answers[1].Data!.ToJsonString(), Is.EqualTo("[\"message-back\",42]"));
    }

    [Test]
    public async Task A_room_broadcast_reaches_the_room_as_the_same_bytes()
    {
        var (a, _) = await ConnectAsync(_fixture.WsUrl);
        var (b, _) = await ConnectAsync(_fixture.WsUrl);
        await using var _a = a;
        await using var _b = b;
        await ReceiveBinaryAsync(a); // auth
        await ReceiveBinaryAsync(b);
        foreach (var ws in new[] { a, b })
        {
            await ws.SendBinaryAsync(MsgPackClient.Event("/", 1, "join-room", "r1"));
            Assert.That((await ReceivePacketAsync(ws)).Data!.ToJsonString(), Is.EqualTo("[\"r1\"]"));
        }
        await a.SendBinaryAsync(MsgPackClient.Event("/", null, "room-broadcast", "r1", new byte[] { 5 }, new JsonObject { ["k"] = 1 }));
        var toA = await ReceiveBinaryAsync(a);
        var toB = await ReceiveBinaryAsync(b);
        Assert.That(Hex(toB), Is.EqualTo(Hex(toA)));
        // {type: 2, data: ["room-broadcast", bin(05), {k: 1}], nsp: "/"}
        Assert.That(Hex(toA), Is.EqualTo("83a47479706502a46461746193ae726f6f6d2d62726f616463617374c4010581a16b01a36e7370a12f"));
    }

    [Test]
    public async Task A_large_broadcast_reaches_every_receiver_once_in_order()
    {
        const int receivers = 40; // above the inline threshold (32): queued on all, then written by the thread pool
        const int messages = 20;
        var clients = new List<RawWebSocket>();
        try
        {
            for (var i = 0; i < receivers; i++)
            {
                var (ws, _) = await ConnectAsync(_fixture.WsUrl);
                clients.Add(ws);
                await ReceiveBinaryAsync(ws); // auth
                await ws.SendBinaryAsync(MsgPackClient.Event("/", 1, "join-room", "big"));
                await ReceiveBinaryAsync(ws);
            }
            for (var n = 0; n < messages; n++)
                await clients[0].SendBinaryAsync(MsgPackClient.Event("/", null, "room-broadcast", "big", new byte[] { (byte)n }));

            foreach (var client in clients)
            {
                for (var n = 0; n < messages; n++)
                {
                    var packet = await ReceivePacketAsync(client);
                    Assert.That(packet.Data![0]!.GetValue<string>(), Is.EqualTo("room-broadcast"));
                    Assert.That(packet.Data[1]!.GetValue<byte[]>(), Is.EqualTo(new byte[] { (byte)n }));
                }
            }
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    /// <summary>Each of these closes the connection that sent it (parse error); another client keeps working.</summary>
    [TestCase("text:40", TestName = "a text frame (socket.io-parser's CONNECT)")]
    [TestCase("text:42[\"message\"]", TestName = "a text frame (socket.io-parser's EVENT)")]
    [TestCase("c1", TestName = "a byte that is no msgpack type")]
    [TestCase("", TestName = "an empty binary message")]
    [TestCase("83a474797065", TestName = "a truncated map")]
    [TestCase("83a47479706502a464617461c6ffffffffa36e7370a12f", TestName = "a binary announcing 4 GB")]
    [TestCase("83a47479706502a46461746180a36e7370a12f", TestName = "an event whose data is a map")]
    [TestCase("83a47479706507a46461746191a16da36e7370a12f", TestName = "an unknown packet type")]
    [TestCase("83a47479706502a46461746191a16da36e7370a12f00", TestName = "trailing bytes")]
    [TestCase("83a47479706502a4646174619281c0a178a36e7370a12f", TestName = "a map key that is not a string")]
    [TestCase("83a47479706500a46461746180a36e7370a12f", TestName = "a second CONNECT to the same namespace")]
    public async Task A_malformed_message_closes_only_its_connection(string message)
    {
        var (bystander, _) = await ConnectAsync(_fixture.WsUrl);
        var (offender, _) = await ConnectAsync(_fixture.WsUrl);
        await using var _b = bystander;
        await using var _o = offender;
        await ReceiveBinaryAsync(bystander); // auth
        await ReceiveBinaryAsync(offender);

        if (message.StartsWith("text:", StringComparison.Ordinal)) await offender.SendTextAsync(message[5..]);
        else await offender.SendBinaryAsync(Convert.FromHexString(message));
        Assert.That(await offender.WaitForCloseAsync(), Is.True);

        await bystander.SendBinaryAsync(MsgPackClient.Event("/", null, "message", "still here"));
        Assert.That((await ReceivePacketAsync(bystander)).Data!.ToJsonString(), Is.EqualTo("[\"message-back\",\"still here\"]"));
    }

    [Test]
    public async Task Refusals_server_acks_and_disconnects_are_written_as_Node_writes_them()
    {
        var serverAnswer = TestWait.Source<JsonNode?[]>();
        var (app, url) = await TestHost.StartAsync(o => o.Parser = MsgPackPacketParser.Instance, io =>
        {
            io.Of("/refused").Use(_ => throw new InvalidOperationException("not authorized"));
            io.Of("/refused-with-data").Use(_ => throw new ConnectionRefusedException("no", new { code = "E1" }));
            io.OnConnection(socket => _ = Task.Run(async () =>
            {
                try
                {
                    serverAnswer.TrySetResult(await socket.EmitWithAckAsync("ask", new byte[] { 1 }, "q"));
                    socket.Disconnect();
                }
                catch (Exception ex)
                {
                    serverAnswer.TrySetException(ex);
                }
            }));
        });
        await using var _app = app;
        var wsUrl = "ws" + url[4..];

        await using var ws = await RawWebSocket.ConnectAsync($"{wsUrl}/socket.io/?EIO=4&transport=websocket");
        Assert.That((string)(await ws.ReceiveAsync())!, Does.StartWith("0{"));

        await ws.SendBinaryAsync(MsgPackClient.Connect("/nope"));
        // {type: 4, nsp: "/nope", data: {message: "Invalid namespace"}}: client.ts builds this one with nsp second
        Assert.That(Hex(await ReceiveBinaryAsync(ws)), Is.EqualTo(
            "83a47479706504a36e7370a52f6e6f7065a46461746181a76d657373616765b1" + HexOf("Invalid namespace")));

        await ws.SendBinaryAsync(MsgPackClient.Connect("/refused"));
        // {type: 4, data: {message: "not authorized", data: undefined}, nsp: "/refused"}
        Assert.That(Hex(await ReceiveBinaryAsync(ws)), Is.EqualTo(
            "83a47479706504a46461746182a76d657373616765ae" + HexOf("not authorized") + "a464617461d40000a36e7370" + NspHex("/refused")));

        await ws.SendBinaryAsync(MsgPackClient.Connect("/refused-with-data"));
        var refused = MsgPackClient.Decode(await ReceiveBinaryAsync(ws));
        Assert.That(refused.Data!.ToJsonString(), Is.EqualTo("{\"message\":\"no\",\"data\":{\"code\":\"E1\"}}"));

        await ws.SendBinaryAsync(MsgPackClient.Connect());
        Assert.That(MsgPackClient.Decode(await ReceiveBinaryAsync(ws)).Type, Is.EqualTo(PacketType.Connect));
        // {type: 2, data: ["ask", bin(01), "q"], id: 0, nsp: "/"}
        Assert.That(Hex(await ReceiveBinaryAsync(ws)), Is.EqualTo("84a47479706502a46461746193a361736bc40101a171a2696400a36e7370a12f"));
        await ws.SendBinaryAsync(MsgPackClient.Ack("/", 0, new byte[] { 7, 8 }, new JsonObject { ["ok"] = true }));
        var answer = await serverAnswer.Task.Within("the client's ack");
        Assert.That(answer[0]!.GetValue<byte[]>(), Is.EqualTo(new byte[] { 7, 8 }));
        Assert.That(answer[1]!["ok"]!.GetValue<bool>(), Is.True);

        // {type: 1, nsp: "/"}
        Assert.That(Hex(await ReceiveBinaryAsync(ws)), Is.EqualTo("82a47479706501a36e7370a12f"));
    }
}
