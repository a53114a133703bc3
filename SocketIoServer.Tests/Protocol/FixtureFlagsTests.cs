using System.Text.Json.Nodes;
using SocketIoServer.Fixture;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Protocol;

/// <summary>The protocol fixture's optional flags (CONTRACTS.md section 2): parsed, refused when bad, and seen on the wire.</summary>
[TestFixture]
public sealed class FixtureFlagsTests
{
    [Test]
    public void Flags_Parse()
    {
        var options = FixtureOptions.Parse(["--recovery", "--compression"]);
        Assert.Multiple(() =>
        {
            Assert.That(options.Recovery, Is.True);
            Assert.That(options.Compression, Is.True);
            Assert.That(FixtureOptions.Parse([]).Recovery, Is.False, "recovery is off by default, as the official suites expect");
            Assert.That(FixtureOptions.Parse([]).Compression, Is.False);
        });
    }

    [TestCase("--no-such-flag", "unknown fixture flag '--no-such-flag'")]
    [TestCase("--port", "--port needs a value")]
    public void BadFlags_AreRefusedByName(string flag, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => FixtureOptions.Parse([flag]));
        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [Test]
    public async Task Recovery_TheConnectReplyCarriesAPid_AndEventsAnOffset()
    {
        await using var server = await FixtureServer.StartAsync(30_000, 20_000, "--recovery");
        await using var ws = await RawWebSocket.ConnectAsync(server.WsUrl + "/socket.io/?EIO=4&transport=websocket");
        await ws.ReceiveTextSkippingPingsAsync();
        await ws.SendTextAsync("40");
        var reply = JsonNode.Parse((await ws.ReceiveTextSkippingPingsAsync())![2..])!.AsObject();
        Assert.That(reply.Select(p => p.Key), Is.EqualTo(new[] { "sid", "pid" }));

        var auth = JsonNode.Parse((await ws.ReceiveTextSkippingPingsAsync())![2..])!.AsArray();
        Assert.That(auth.Count, Is.EqualTo(3), "[\"auth\", {}, offset]: " + auth.ToJsonString());
        Assert.That(auth[2]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task WithoutRecovery_TheConnectReplyIsSidOnly()
    {
        await using var server = await FixtureServer.StartAsync(30_000, 20_000);
        await using var ws = await RawWebSocket.ConnectAsync(server.WsUrl + "/socket.io/?EIO=4&transport=websocket");
        await ws.ReceiveTextSkippingPingsAsync();
        await ws.SendTextAsync("40");
        var reply = JsonNode.Parse((await ws.ReceiveTextSkippingPingsAsync())![2..])!.AsObject();
        Assert.That(reply.Select(p => p.Key), Is.EqualTo(new[] { "sid" }));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Compression_NegotiatesPermessageDeflate_OnlyWhenOn(bool on)
    {
        await using var server = await FixtureServer.StartAsync(30_000, 20_000, on ? ["--compression"] : []);
        await using var client = await RawFrameClient.ConnectAsync(new Uri(server.Url).Port);
        var head = await client.UpgradeAsync("/socket.io/?EIO=4&transport=websocket",
            extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
        Assert.That(head, Does.StartWith("HTTP/1.1 101"));
        if (on) Assert.That(head, Does.Contain("permessage-deflate"));
        else Assert.That(head, Does.Not.Contain("permessage-deflate"));
    }
}
