using System.Net;
using System.Text;
using System.Text.Json;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Engine;

/// <summary>
/// Engine.IO v3 on the wire, against the fixture's echo server with <c>--allow-eio3</c>: handshake, text and binary
/// polling payloads, base64 clients, the client's heartbeat, WebSocket framing and the upgrade; each over the
/// connection-level WebSocket and the ASP.NET Core one.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class EngineV3ProtocolTests(bool kestrelWebSockets)
{
    private FixtureServer _server = null!;
    private PollingV3 _polling = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await FixtureServer.StartAsync(300, 200, kestrelWebSockets ? ["--allow-eio3", "--kestrel-websockets"] : ["--allow-eio3"]);
        _polling = new PollingV3(_server.Url);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _polling.Dispose();
        await _server.DisposeAsync();
    }

    private string Ws(string query) => $"{_server.WsUrl}/engine.io/?EIO=3&transport=websocket{query}";

    private static string SessionUnknown => "{\"code\":1,\"message\":\"Session ID unknown\"}";

    // ------------------------------------------------------------------ handshake

    [Test]
    public async Task The_handshake_is_a_text_payload_holding_the_open_packet_with_every_field()
    {
        var (sid, open, response) = await _polling.OpenAsync();
        Assert.That(response.ContentType, Is.EqualTo("text/plain; charset=UTF-8"));
        Assert.That(response.Text, Is.EqualTo($"{open.Length + 1}:0{open}"));
        var json = JsonDocument.Parse(open).RootElement;
        Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload" }));
        Assert.That(sid, Has.Length.EqualTo(20));
        Assert.That(json.GetProperty("upgrades").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "websocket" }));
        Assert.That(json.GetProperty("pingInterval").GetInt32(), Is.EqualTo(300));
        Assert.That(json.GetProperty("pingTimeout").GetInt32(), Is.EqualTo(200));
        Assert.That(json.GetProperty("maxPayload").GetInt32(), Is.EqualTo(1_000_000));
    }

    [Test]
    public async Task Without_allowEIO3_v3_clients_are_refused_with_error_5_over_polling_and_WebSocket()
    {
        await using var plain = await FixtureServer.StartAsync(300, 200, kestrelWebSockets ? ["--kestrel-websockets"] : []);
        using var polling = new PollingV3(plain.Url);
        var refused = await polling.SendAsync(HttpMethod.Get, polling.Url(""));
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(refused.Text, Is.EqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}"));

        var upgrade = Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(
            async () => await RawWebSocket.ConnectAsync($"{plain.WsUrl}/engine.io/?EIO=3&transport=websocket"));
        Assert.That(upgrade!.Message, Does.Contain("400"));
    }

    // ------------------------------------------------------------------ polling payloads

    [TestCase("6:4hello")]
    [TestCase("6:4hello5:4é😀中1:4")]
    [TestCase("10:b4AQIDBA==", TestName = "A base64 packet from the client comes back as a binary payload")]
    public async Task Text_payloads_are_read_and_the_echo_written_with_UTF16_lengths(string payload)
    {
        var (sid, _, _) = await _polling.OpenAsync();
        var post = await _polling.PostAsync(sid, payload);
        Assert.That((post.Status, post.ContentType, post.Text), Is.EqualTo((HttpStatusCode.OK, "text/html", "ok")));
        var poll = await _polling.GetAsync(sid);
        if (payload.Contains("b4", StringComparison.Ordinal))
        {
            // the client takes binary (no b64): the echoed binary message makes it a binary payload
            Assert.That(poll.ContentType, Is.EqualTo("application/octet-stream"));
            Assert.That(poll.Body, Is.EqualTo(new byte[] { 1, 5, 255, 4, 1, 2, 3, 4 }));
        }
        else
        {
            Assert.That(poll.ContentType, Is.EqualTo("text/plain; charset=UTF-8"));
            Assert.That(poll.Text, Is.EqualTo(payload));
        }
    }

    [Test]
    public async Task A_binary_payload_is_read_and_the_echo_is_a_binary_payload_in_the_same_order()
    {
        var (sid, _, _) = await _polling.OpenAsync();
        byte[] payload = [1, 4, 255, 4, 1, 2, 3, 0, 3, 255, (byte)'4', 0xC3, 0xA9, 1, 1, 255, 4];
        var post = await _polling.PostBinaryAsync(sid, payload);
        Assert.That((post.Status, post.Text), Is.EqualTo((HttpStatusCode.OK, "ok")));
        var poll = await _polling.GetAsync(sid);
        Assert.That(poll.ContentType, Is.EqualTo("application/octet-stream"));
        Assert.That(poll.Body, Is.EqualTo(payload));
    }

    [Test]
    public async Task A_b64_client_gets_binary_as_b4_text_whichever_way_it_sent_it()
    {
        var (sid, _, _) = await _polling.OpenAsync(b64: true);
        await _polling.PostBinaryAsync(sid, [1, 3, 255, 4, 0xFF, 0x00]);
        await _polling.PostAsync(sid, "6:b4AQI=");
        var poll = await _polling.GetAsync(sid);
        Assert.That(poll.ContentType, Is.EqualTo("text/plain; charset=UTF-8"));
        Assert.That(poll.Text, Is.EqualTo("6:b4/wA=6:b4AQI="));
    }

    [TestCase("", TestName = "An empty body")]
    [TestCase("2", TestName = "A length without colon")]
    [TestCase("5:4a", TestName = "A length past the end")]
    [TestCase("x:4a", TestName = "A length that is no number")]
    [TestCase("1:9", TestName = "An unknown packet type")]
    [TestCase("2:4😀", TestName = "A length ending inside a surrogate pair")]
    [TestCase("2:4a3", TestName = "Garbage after the last packet")]
    public async Task A_malformed_text_payload_is_answered_ok_and_closes_the_session_as_Node(string payload)
    {
        var (sid, _, _) = await _polling.OpenAsync();
        var post = await _polling.PostAsync(sid, payload);
        Assert.That((post.Status, post.Text), Is.EqualTo((HttpStatusCode.OK, "ok")));
        var poll = await _polling.GetAsync(sid);
        Assert.That((poll.Status, poll.Text), Is.EqualTo((HttpStatusCode.BadRequest, SessionUnknown)));
    }

    [TestCase(new byte[] { 0, 1 }, TestName = "A binary payload without 255")]
    [TestCase(new byte[] { 0, 1, 255, (byte)'9' }, TestName = "A binary payload with an unknown packet type")]
    [TestCase(new byte[] { 0, 2, 255, (byte)'4', 0xFF }, TestName = "A binary payload whose text is not UTF-8")]
    public async Task A_malformed_binary_payload_closes_the_session(byte[] payload)
    {
        var (sid, _, _) = await _polling.OpenAsync();
        Assert.That((await _polling.PostBinaryAsync(sid, payload)).Status, Is.EqualTo(HttpStatusCode.OK));
        var poll = await _polling.GetAsync(sid);
        Assert.That((poll.Status, poll.Text), Is.EqualTo((HttpStatusCode.BadRequest, SessionUnknown)));
    }

    [Test]
    public async Task A_close_packet_ends_the_pending_poll_with_noop()
    {
        var (sid, _, _) = await _polling.OpenAsync();
        var poll = _polling.GetAsync(sid);
        await Task.Delay(50);
        Assert.That((await _polling.PostAsync(sid, "1:1")).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await poll).Text, Is.EqualTo("1:6"));
        Assert.That((await _polling.GetAsync(sid)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    // ------------------------------------------------------------------ heartbeat

    [Test]
    public async Task The_client_pings_and_the_server_answers_pong_without_data()
    {
        var (sid, _, _) = await _polling.OpenAsync();
        await _polling.PostAsync(sid, "1:26:2probe");
        Assert.That((await _polling.GetAsync(sid)).Text, Is.EqualTo("1:31:3"));
    }

    [Test]
    public async Task The_server_never_pings_and_closes_a_silent_session_after_pingInterval_plus_pingTimeout()
    {
        var (sid, _, _) = await _polling.OpenAsync();
        var started = DateTime.UtcNow;
        var poll = await _polling.GetAsync(sid);
        var elapsed = DateTime.UtcNow - started;
        Assert.That(poll.Text, Is.EqualTo("1:1"), "a close, never a ping");
        Assert.That(elapsed, Is.GreaterThan(TimeSpan.FromMilliseconds(400)));
        Assert.That((await _polling.GetAsync(sid)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Client_pings_keep_the_session_alive()
    {
        var (sid, _, _) = await _polling.OpenAsync();
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(200);
            await _polling.PostAsync(sid, "1:2");
            Assert.That((await _polling.GetAsync(sid)).Text, Is.EqualTo("1:3"), $"round {i}");
        }
    }

    [Test]
    public async Task A_pong_from_the_client_is_the_wrong_heartbeat_direction_and_closes_the_session()
    {
        var (sid, _, _) = await _polling.OpenAsync();
        Assert.That((await _polling.PostAsync(sid, "1:3")).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _polling.GetAsync(sid)).Text, Is.EqualTo(SessionUnknown));
    }

    // ------------------------------------------------------------------ WebSocket

    [Test]
    public async Task A_direct_WebSocket_session_frames_packets_without_lengths_and_binary_with_its_type_byte()
    {
        await using var ws = await RawWebSocket.ConnectAsync(Ws(""));
        var open = (string)(await ws.ReceiveAsync())!;
        Assert.That(open, Does.StartWith("0{\"sid\":\""));
        Assert.That(JsonDocument.Parse(open[1..]).RootElement.GetProperty("upgrades").GetArrayLength(), Is.Zero);

        await ws.SendTextAsync("4hé😀");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("4hé😀"));
        await ws.SendBinaryAsync([4, 1, 2, 3]);
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo(new byte[] { 4, 1, 2, 3 }));
        await ws.SendTextAsync("b4AQID");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo(new byte[] { 4, 1, 2, 3 }));
        await ws.SendTextAsync("2");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3"));
        await ws.SendTextAsync("2probe");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3"));
        await ws.SendBinaryAsync([9, 1]); // not a packet type: ignored, as Node.js does
        await ws.SendTextAsync("4still");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("4still"));
    }

    [Test]
    public async Task A_b64_WebSocket_gets_binary_as_b4_text()
    {
        await using var ws = await RawWebSocket.ConnectAsync(Ws("&b64=1"));
        await ws.ReceiveAsync();
        await ws.SendBinaryAsync([4, 9]);
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("b4CQ=="));
    }

    [TestCase("3", TestName = "A pong from the client over WebSocket")]
    [TestCase("x", TestName = "A text message that is no packet")]
    [TestCase("", TestName = "An empty text message")]
    public async Task A_bad_WebSocket_message_closes_the_session(string message)
    {
        await using var ws = await RawWebSocket.ConnectAsync(Ws(""));
        await ws.ReceiveAsync();
        await ws.SendTextAsync(message);
        Assert.That(await ws.WaitForCloseAsync(), Is.True);
    }

    [Test]
    public async Task A_polling_session_upgrades_and_its_packets_keep_the_v3_framing()
    {
        var (sid, _, _) = await _polling.OpenAsync();
        var poll = _polling.GetAsync(sid);
        await Task.Delay(50);
        await using var ws = await RawWebSocket.ConnectAsync(Ws("&sid=" + sid));
        await ws.SendTextAsync("2probe");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3probe"));
        Assert.That((await poll).Text, Is.EqualTo("1:6"), "the waiting poll is released with a noop");
        await ws.SendTextAsync("5");
        await ws.SendTextAsync("4over ws");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("4over ws"));
        await ws.SendBinaryAsync([4, 7]);
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo(new byte[] { 4, 7 }));
        await ws.SendTextAsync("2");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3"));
        Assert.That((await _polling.GetAsync(sid)).Status, Is.EqualTo(HttpStatusCode.BadRequest), "polling is over");
    }

    [Test]
    public async Task After_an_upgrade_a_silent_session_is_still_closed_after_pingInterval_plus_pingTimeout()
    {
        // deliberately unlike Node.js, whose upgrade clears the v3 deadline for good (docs/architecture.md)
        var (sid, _, _) = await _polling.OpenAsync();
        await using var ws = await RawWebSocket.ConnectAsync(Ws("&sid=" + sid));
        await ws.SendTextAsync("2probe");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3probe"));
        await ws.SendTextAsync("5");
        await ws.SendTextAsync("2");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3"), "a ping over the new transport is answered");
        var started = DateTime.UtcNow;
        Assert.That(await ws.WaitForCloseAsync(3000), Is.True);
        Assert.That(DateTime.UtcNow - started, Is.GreaterThan(TimeSpan.FromMilliseconds(400)));
    }

    [Test]
    public async Task Messages_queued_during_the_upgrade_arrive_over_the_WebSocket_in_order()
    {
        var (sid, _, _) = await _polling.OpenAsync();
        await using var ws = await RawWebSocket.ConnectAsync(Ws("&sid=" + sid));
        await ws.SendTextAsync("2probe");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("3probe"));
        await _polling.PostAsync(sid, "2:4a");
        await _polling.PostBinaryAsync(sid, [1, 2, 255, 4, 5]);
        await ws.SendTextAsync("5");
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo("4a"));
        Assert.That(await ws.ReceiveAsync(), Is.EqualTo(new byte[] { 4, 5 }));
    }
}
