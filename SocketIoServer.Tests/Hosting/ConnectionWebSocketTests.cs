using System.Text;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Hosting;

/// <summary>
/// The connection-level WebSocket path (<c>UseSocketIoWebSockets</c>, on in the protocol fixture): the handshake,
/// RFC 6455 framing in both directions, the peer's protocol violations, and the requests it leaves to Kestrel.
/// The fixture's <c>/engine.io</c> endpoint echoes every message.
/// </summary>
public sealed class ConnectionWebSocketTests : FixtureTestBase
{
    private const string EngineTarget = "/engine.io/?EIO=4&transport=websocket";

    private int Port => new Uri(Server.Url).Port;

    private async Task<RawFrameClient> OpenAsync()
    {
        var client = await RawFrameClient.ConnectAsync(Port);
        var head = await client.UpgradeAsync(EngineTarget);
        Assert.That(head, Does.StartWith("HTTP/1.1 101 "));
        var open = await client.ReadFrameAsync();
        Assert.That(open!.Text, Does.StartWith("0{"));
        return client;
    }

    [Test]
    public async Task The_handshake_answers_101_with_the_accept_key_then_the_open_packet()
    {
        await using var client = await RawFrameClient.ConnectAsync(Port);
        var key = RawFrameClient.NewKey();
        var head = await client.UpgradeAsync(EngineTarget, key);

        Assert.That(head, Does.StartWith("HTTP/1.1 101 Switching Protocols"));
        Assert.That(head, Does.Contain("Sec-WebSocket-Accept: " + RawFrameClient.AcceptFor(key)));
        Assert.That(head, Does.Contain("Upgrade: websocket"));
        var open = await client.ReadFrameAsync();
        Assert.That(open!.Fin, Is.True);
        Assert.That(open.Opcode, Is.EqualTo(0x1));
        Assert.That(open.Text, Does.Contain("\"sid\""));
    }

    [Test]
    public async Task A_request_head_arriving_byte_by_byte_is_still_upgraded()
    {
        await using var client = await RawFrameClient.ConnectAsync(Port);
        foreach (var b in Encoding.ASCII.GetBytes(RawFrameClient.UpgradeRequest(EngineTarget, RawFrameClient.NewKey())))
            await client.SendRawAsync([b]);
        Assert.That(await client.ReadHeadAsync(), Does.StartWith("HTTP/1.1 101 "));
        Assert.That((await client.ReadFrameAsync())!.Text, Does.StartWith("0{"));
    }

    [Test]
    public async Task A_message_in_several_frames_arrives_as_one()
    {
        await using var client = await OpenAsync();
        await client.SendFrameAsync(0x1, "4hel"u8, fin: false);
        await client.SendFrameAsync(0x0, "lo wo"u8, fin: false);
        await client.SendFrameAsync(0x9, "between"u8); // a ping may come between the fragments
        await client.SendFrameAsync(0x0, "rld"u8, fin: true);

        var pong = await client.ReadFrameAsync();
        while (pong is { Opcode: 0x1 }) pong = await client.ReadFrameAsync(); // an engine ping may come first
        Assert.That(pong!.Opcode, Is.EqualTo(0xA));
        Assert.That(pong.Text, Is.EqualTo("between"));
        Assert.That(await client.ReadTextSkippingPingsAsync(), Is.EqualTo("4hello world"));
    }

    [Test]
    public async Task A_character_split_between_frames_is_valid_UTF8()
    {
        await using var client = await OpenAsync();
        var bytes = Encoding.UTF8.GetBytes("4é😀ü");
        // split inside the two-byte é and inside the four-byte emoji
        await client.SendFrameAsync(0x1, bytes.AsSpan(0, 2), fin: false);
        await client.SendFrameAsync(0x0, bytes.AsSpan(2, 3), fin: false);
        await client.SendFrameAsync(0x0, bytes.AsSpan(5), fin: true);
        Assert.That(await client.ReadTextSkippingPingsAsync(), Is.EqualTo("4é😀ü"));
    }

    [Test]
    public async Task A_binary_message_of_64_KiB_and_more_is_echoed_whole()
    {
        await using var client = await OpenAsync();
        var data = new byte[70_000];
        new Random(7).NextBytes(data);
        await client.SendFrameAsync(0x2, data);
        var frame = await client.ReadFrameAsync();
        while (frame is { Opcode: 0x1 }) frame = await client.ReadFrameAsync(); // engine pings
        Assert.That(frame!.Opcode, Is.EqualTo(0x2));
        Assert.That(frame.Payload, Is.EqualTo(data));
    }

    [Test]
    public async Task Invalid_UTF8_closes_with_1007()
    {
        await using var client = await OpenAsync();
        await client.SendFrameAsync(0x1, [(byte)'4', 0xC3, 0x28]);
        Assert.That(await client.ReadCloseCodeAsync(), Is.EqualTo(1007));
        Assert.That(await client.WaitForEndAsync(), Is.True);
    }

    [Test]
    public async Task A_message_ending_inside_a_character_closes_with_1007()
    {
        await using var client = await OpenAsync();
        await client.SendFrameAsync(0x1, [(byte)'4', 0xE2, 0x82]); // "€" without its last byte
        Assert.That(await client.ReadCloseCodeAsync(), Is.EqualTo(1007));
    }

    [Test]
    public async Task An_unmasked_frame_closes_with_1002()
    {
        await using var client = await OpenAsync();
        await client.SendFrameAsync(0x1, "4hi"u8, mask: false);
        Assert.That(await client.ReadCloseCodeAsync(), Is.EqualTo(1002));
        Assert.That(await client.WaitForEndAsync(), Is.True);
    }

    [TestCase(0x1, 4, true, TestName = "Reserved bits without an extension close with 1002")]
    [TestCase(0x3, 0, true, TestName = "A reserved opcode closes with 1002")]
    [TestCase(0x0, 0, true, TestName = "A continuation outside a message closes with 1002")]
    [TestCase(0x9, 0, false, TestName = "A fragmented ping closes with 1002")]
    public async Task Protocol_violations_close_with_1002(int opcode, int rsv, bool fin)
    {
        await using var client = await OpenAsync();
        await client.SendFrameAsync(opcode, "4x"u8, fin: fin, rsv: rsv);
        Assert.That(await client.ReadCloseCodeAsync(), Is.EqualTo(1002));
    }

    [Test]
    public async Task A_new_message_inside_a_fragmented_one_closes_with_1002()
    {
        await using var client = await OpenAsync();
        await client.SendFrameAsync(0x1, "4a"u8, fin: false);
        await client.SendFrameAsync(0x1, "4b"u8);
        Assert.That(await client.ReadCloseCodeAsync(), Is.EqualTo(1002));
    }

    [Test]
    public async Task A_control_frame_over_125_bytes_closes_with_1002()
    {
        await using var client = await OpenAsync();
        await client.SendFrameAsync(0x9, new byte[126]);
        Assert.That(await client.ReadCloseCodeAsync(), Is.EqualTo(1002));
    }

    [Test]
    public async Task A_close_frame_is_answered_and_the_connection_ends()
    {
        await using var client = await OpenAsync();
        await client.SendFrameAsync(0x8, [0x03, 0xE8]); // 1000
        Assert.That(await client.ReadCloseCodeAsync(), Is.EqualTo(1000));
        Assert.That(await client.WaitForEndAsync(), Is.True);
    }

    [Test]
    public async Task A_close_frame_with_an_invalid_code_closes_with_1002()
    {
        await using var client = await OpenAsync();
        await client.SendFrameAsync(0x8, [0x03, 0xED]); // 1005 may not be sent
        Assert.That(await client.ReadCloseCodeAsync(), Is.EqualTo(1002));
    }

    [Test]
    public async Task An_upgrade_for_an_unknown_session_gets_a_400_and_the_connection_closes()
    {
        await using var client = await RawFrameClient.ConnectAsync(Port);
        var head = await client.UpgradeAsync("/engine.io/?EIO=4&transport=websocket&sid=nope");
        Assert.That(head, Does.StartWith("HTTP/1.1 400 Bad Request"));
        Assert.That(head, Does.Contain("Connection: close"));
        Assert.That(await client.ReadToEndAsync(), Is.EqualTo("Session ID unknown"));
    }

    [Test]
    public async Task A_plain_HTTP_request_on_a_new_connection_is_served_by_Kestrel()
    {
        await using var client = await RawFrameClient.ConnectAsync(Port);
        await client.SendRawAsync("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var head = await client.ReadHeadAsync();
        Assert.That(head, Does.StartWith("HTTP/1.1 200 OK"));
    }

    [Test]
    public async Task An_upgrade_outside_the_engine_paths_is_left_to_the_app()
    {
        await using var client = await RawFrameClient.ConnectAsync(Port);
        var head = await client.UpgradeAsync("/elsewhere/?EIO=4&transport=websocket");
        Assert.That(head, Does.StartWith("HTTP/1.1 404 "));
    }

    [Test]
    public async Task An_upgrade_with_an_invalid_key_is_left_to_Kestrel_and_refused()
    {
        await using var client = await RawFrameClient.ConnectAsync(Port);
        var head = await client.UpgradeAsync(EngineTarget, key: "short");
        // not a WebSocket request to ASP.NET Core either: the engine refuses a websocket transport without upgrade
        Assert.That(head, Does.StartWith("HTTP/1.1 400 "));
    }

    [Test]
    public async Task A_second_client_keeps_working_while_one_breaks_the_protocol()
    {
        await using var good = await OpenAsync();
        await using var bad = await OpenAsync();
        await bad.SendFrameAsync(0x1, "4x"u8, mask: false);
        Assert.That(await bad.ReadCloseCodeAsync(), Is.EqualTo(1002));
        await good.SendTextAsync("4still here");
        Assert.That(await good.ReadTextSkippingPingsAsync(), Is.EqualTo("4still here"));
    }
}

/// <summary>Sends that the kernel cannot take at once (a client that does not read) on the connection-level path.</summary>
public sealed class ConnectionWebSocketBackpressureTests
{
    private const string EngineTarget = "/engine.io/?EIO=4&transport=websocket";

    [Test]
    public async Task A_client_that_stops_reading_gets_every_frame_in_order_once_it_reads_again()
    {
        await using var server = await FixtureServer.StartAsync(pingIntervalMs: 60_000, pingTimeoutMs: 60_000);
        await using var client = await RawFrameClient.ConnectAsync(new Uri(server.Url).Port);
        Assert.That(await client.UpgradeAsync(EngineTarget), Does.StartWith("HTTP/1.1 101 "));
        Assert.That((await client.ReadFrameAsync())!.Text, Does.StartWith("0{"));
        // far more than the socket buffers hold: the server's sends go asynchronous and must keep their order
        var message = new string('x', 60_000);
        for (var i = 0; i < 200; i++) await client.SendTextAsync($"4{i:D4}{message}");
        for (var i = 0; i < 200; i++)
        {
            var text = await client.ReadTextSkippingPingsAsync(15_000);
            Assert.That(text, Is.Not.Null, $"echo {i}");
            Assert.That(text![..5], Is.EqualTo($"4{i:D4}"), $"echo {i} out of order");
            Assert.That(text.Length, Is.EqualTo(60_005));
        }
    }
}
