using System.Text.Json;
using SocketIoServer.Engine;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Engine;

/// <summary><c>initialPacket</c>: a message every new session gets right after the open packet, as Node.js sends it.</summary>
public sealed class InitialPacketTests
{
    [Test]
    public async Task A_polling_session_gets_it_with_the_open_packet_then_the_connect_flows_as_usual()
    {
        var (app, url) = await TestHost.StartAsync(o => o.Engine.InitialPacket = OutboundFrame.Message("hello"));
        await using var _ = app;
        using var polling = new Polling(url, "/socket.io/");
        var (_, body, _) = await polling.SendAsync(HttpMethod.Get, "EIO=4&transport=polling");
        var packets = body.Split('\u001e');
        Assert.That(packets[0], Does.StartWith("0{"));
        Assert.That(packets[1], Is.EqualTo("4hello"));
        var sid = JsonDocument.Parse(packets[0][1..]).RootElement.GetProperty("sid").GetString()!;
        await polling.PostAsync(sid, "40");
        Assert.That((await polling.GetAsync(sid)).Body, Does.StartWith("40{"));
    }

    [Test]
    public async Task A_WebSocket_session_gets_a_binary_one_after_the_open_packet()
    {
        var (app, url) = await TestHost.StartAsync(o => o.Engine.InitialPacket = OutboundFrame.Binary(new byte[] { 1, 2, 3 }));
        await using var _ = app;
        await using var ws = await RawWebSocket.ConnectAsync($"ws{url[4..]}/socket.io/?EIO=4&transport=websocket");
        Assert.That(await ws.ReceiveAsync(), Does.StartWith("0{"));
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task By_default_nothing_follows_the_open_packet()
    {
        var (app, url) = await TestHost.StartAsync(_ => { });
        await using var _ = app;
        using var polling = new Polling(url, "/socket.io/");
        var (_, body, _) = await polling.SendAsync(HttpMethod.Get, "EIO=4&transport=polling");
        Assert.That(body.Split('\u001e'), Has.Length.EqualTo(1));
    }
}
