using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Engine;

/// <summary>Engine.IO over WebSocket and the polling → WebSocket upgrade, against the fixture's echo server.</summary>
[TestFixture]
public sealed class WebSocketTests : FixtureTestBase
{
    private string Ws(string query) => $"{Server.WsUrl}/engine.io/?{query}";

    /// <summary>A polling session upgraded to WebSocket (probe answered, upgrade sent and taken).</summary>
    private async Task<(string Sid, RawWebSocket Ws)> UpgradedSessionAsync()
    {
        var sid = await Polling.OpenAsync();
        var ws = await RawWebSocket.ConnectAsync(Ws($"EIO=4&transport=websocket&sid={sid}"));
        await ws.SendTextAsync("2probe");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3probe"));
        await ws.SendTextAsync("5");
        await Task.Delay(50);
        return (sid, ws);
    }

    [Test]
    public async Task A_direct_session_opens_with_no_upgrades()
    {
        await using var ws = await RawWebSocket.ConnectAsync(Ws("EIO=4&transport=websocket"));
        var open = (string)(await ws.ReceiveAsync())!;
        Assert.That(open, Does.StartWith("0"));
        var json = JsonDocument.Parse(open[1..]).RootElement;
        Assert.That(json.GetProperty("upgrades").GetArrayLength(), Is.Zero);
        Assert.That(json.GetProperty("pingInterval").GetInt32(), Is.EqualTo(300));
    }

    [Test]
    public async Task Text_and_binary_messages_are_echoed()
    {
        await using var ws = await RawWebSocket.ConnectAsync(Ws("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        await ws.SendTextAsync("4h\u00e9llo \ud83d\ude00");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("4h\u00e9llo \ud83d\ude00"));
        await ws.SendBinaryAsync([1, 2, 3, 4]);
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [TestCase("abc")]
    [TestCase("")]
    [TestCase("9")]
    public async Task An_invalid_packet_closes_the_session(string frame)
    {
        await using var ws = await RawWebSocket.ConnectAsync(Ws("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        await ws.SendTextAsync(frame);
        Assert.That(await ws.WaitForCloseAsync(), Is.True);
    }

    [Test]
    public async Task A_close_packet_closes_the_socket()
    {
        await using var ws = await RawWebSocket.ConnectAsync(Ws("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        await ws.SendTextAsync("1");
        Assert.That(await ws.WaitForCloseAsync(), Is.True);
    }

    [Test]
    public async Task Pings_are_sent_and_pongs_keep_the_session()
    {
        await using var ws = await RawWebSocket.ConnectAsync(Ws("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.That(await ws.ReceiveAsync(), Is.EqualTo("2"));
            await ws.SendTextAsync("3");
        }
        Assert.That(ws.State, Is.EqualTo(WebSocketState.Open));
    }

    [Test]
    public async Task A_client_that_never_answers_pings_is_closed()
    {
        await using var ws = await RawWebSocket.ConnectAsync(Ws("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("2"));
        Assert.That(await ws.WaitForCloseAsync(2000), Is.True);
    }

    [Test]
    public async Task A_message_over_maxPayload_closes_with_1009()
    {
        await using var ws = await RawWebSocket.ConnectAsync(Ws("EIO=4&transport=websocket"));
        await ws.ReceiveAsync();
        await ws.SendTextAsync("4" + new string('x', 1_000_001));
        Assert.That(await ws.WaitForCloseAsync(), Is.True);
        Assert.That(ws.CloseStatus, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
    }

    [Test]
    public async Task APolling_session_upgrades_to_websocket()
    {
        var sid = await Polling.OpenAsync();
        await using var ws = await RawWebSocket.ConnectAsync(Ws($"EIO=4&transport=websocket&sid={sid}"));
        await ws.SendTextAsync("2probe");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3probe"));
        Assert.That(await Polling.GetAsync(sid), Is.EqualTo((HttpStatusCode.OK, "6")));
        await ws.SendTextAsync("5");
        await ws.SendTextAsync("4hello");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("4hello"));
    }

    [Test]
    public async Task A_waiting_poll_is_released_with_noop_on_probe()
    {
        var sid = await Polling.OpenAsync();
        var pending = Polling.GetAsync(sid);
        await Task.Delay(50);
        await using var ws = await RawWebSocket.ConnectAsync(Ws($"EIO=4&transport=websocket&sid={sid}"));
        await ws.SendTextAsync("2probe");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3probe"));
        Assert.That(await pending, Is.EqualTo((HttpStatusCode.OK, "6")));
    }

    [Test]
    public async Task Packets_queued_during_the_upgrade_arrive_over_websocket()
    {
        var sid = await Polling.OpenAsync();
        await using var ws = await RawWebSocket.ConnectAsync(Ws($"EIO=4&transport=websocket&sid={sid}"));
        await ws.SendTextAsync("2probe");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3probe"));
        await Polling.PostAsync(sid, "4queued"); // echoed while the upgrade is under way
        await ws.SendTextAsync("5");
        var got = await ws.ReceiveAsync();
        if (got is "2") got = await ws.ReceiveAsync();
        if (got is "6") got = await ws.ReceiveAsync();
        var viaPolling = got is null;
        Assert.That(viaPolling ? (await Polling.GetAsync(sid)).Body : got, Is.EqualTo("4queued"));
    }

    [Test]
    public async Task Http_requests_after_the_upgrade_are_refused()
    {
        var (sid, ws) = await UpgradedSessionAsync();
        await using var _ = ws;
        Assert.That((await Polling.GetAsync(sid)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        await ws.SendTextAsync("4hello");
        Assert.That(await ws.ReceiveTextSkippingPingsAsync(), Is.EqualTo("4hello"));
    }

    [Test]
    public async Task A_second_websocket_for_an_upgraded_session_is_closed()
    {
        var (sid, ws) = await UpgradedSessionAsync();
        await using var _ = ws;
        await using var second = await RawWebSocket.ConnectAsync(Ws($"EIO=4&transport=websocket&sid={sid}"));
        Assert.That(await second.WaitForCloseAsync(), Is.True);
        await ws.SendTextAsync("4hello");
        Assert.That(await ws.ReceiveTextSkippingPingsAsync(), Is.EqualTo("4hello"));
    }

    [Test]
    public async Task A_wrong_probe_aborts_the_upgrade_but_keeps_the_polling_session()
    {
        var sid = await Polling.OpenAsync();
        await using var ws = await RawWebSocket.ConnectAsync(Ws($"EIO=4&transport=websocket&sid={sid}"));
        await ws.SendTextAsync("4not a probe");
        Assert.That(await ws.WaitForCloseAsync(), Is.True);
        Assert.That(await Polling.PostAsync(sid, "4still polling"), Is.EqualTo((HttpStatusCode.OK, "ok")));
        Assert.That(await Polling.GetAsync(sid), Is.EqualTo((HttpStatusCode.OK, "4still polling")));
    }

    [Test]
    public async Task An_upgrade_for_an_unknown_sid_is_refused()
    {
        var ex = Assert.ThrowsAsync<WebSocketException>(async () =>
            await RawWebSocket.ConnectAsync(Ws("EIO=4&transport=websocket&sid=unknown")));
        Assert.That(ex!.Message, Does.Contain("400"));
    }
}
