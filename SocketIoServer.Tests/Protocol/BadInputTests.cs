using System.Net;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Protocol;

/// <summary>
/// Malformed Socket.IO input over a real connection: the offending connection is closed with "parse error",
/// and a second client on the same server keeps working throughout.
/// </summary>
[TestFixture]
public sealed class BadInputTests
{
    private FixtureServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await FixtureServer.StartAsync(pingIntervalMs: 5000, pingTimeoutMs: 5000);

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<RawWebSocket> ConnectSocketIoAsync()
    {
        var ws = await RawWebSocket.ConnectAsync($"{_server.WsUrl}/socket.io/?EIO=4&transport=websocket");
        Assert.That((string)(await ws.ReceiveAsync())!, Does.StartWith("0{"));
        await ws.SendTextAsync("40");
        Assert.That(await ws.ReceiveTextSkippingPingsAsync(), Does.StartWith("40{\"sid\":"));
        Assert.That(await ws.ReceiveTextSkippingPingsAsync(), Is.EqualTo("42[\"auth\",{}]"));
        return ws;
    }

    private static async Task AssertStillWorksAsync(RawWebSocket bystander)
    {
        await bystander.SendTextAsync("42[\"message\",\"still here\"]");
        Assert.That(await bystander.ReceiveTextSkippingPingsAsync(), Is.EqualTo("42[\"message-back\",\"still here\"]"));
    }

    [TestCase("4abc", TestName = "unknown packet type")]
    [TestCase("42{}", TestName = "event payload not an array")]
    [TestCase("42abc[\"message\"]", TestName = "invalid ack id")]
    [TestCase("42[\"message\"", TestName = "truncated JSON")]
    [TestCase("42[\"disconnect\"]", TestName = "reserved event name")]
    [TestCase("41{\"x\":1}", TestName = "disconnect with payload")]
    [TestCase("411-[\"message\"]", TestName = "too many attachments")]
    [TestCase("40", TestName = "second CONNECT to the same namespace")]
    [TestCase("42/custom,[\"message\"]", TestName = "event for a namespace not joined")]
    public async Task A_malformed_packet_closes_only_its_connection(string frame)
    {
        await using var bystander = await ConnectSocketIoAsync();
        await using var offender = await ConnectSocketIoAsync();
        await offender.SendTextAsync(frame);
        Assert.That(await offender.WaitForCloseAsync(), Is.True);
        await AssertStillWorksAsync(bystander);
    }

    [Test]
    public async Task An_attachment_count_that_lies_closes_the_connection()
    {
        await using var bystander = await ConnectSocketIoAsync();
        await using var offender = await ConnectSocketIoAsync();
        // announces two attachments, sends one, then a text frame
        await offender.SendTextAsync("452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        await offender.SendBinaryAsync([1]);
        await offender.SendTextAsync("42[\"message\",1]");
        Assert.That(await offender.WaitForCloseAsync(), Is.True);
        await AssertStillWorksAsync(bystander);
    }

    [Test]
    public async Task A_placeholder_beyond_the_attachments_closes_the_connection()
    {
        await using var bystander = await ConnectSocketIoAsync();
        await using var offender = await ConnectSocketIoAsync();
        await offender.SendTextAsync("451-[\"message\",{\"_placeholder\":true,\"num\":5}]");
        await offender.SendBinaryAsync([1]);
        Assert.That(await offender.WaitForCloseAsync(), Is.True);
        await AssertStillWorksAsync(bystander);
    }

    [Test]
    public async Task Binary_without_a_binary_packet_closes_the_connection()
    {
        await using var bystander = await ConnectSocketIoAsync();
        await using var offender = await ConnectSocketIoAsync();
        await offender.SendBinaryAsync([1, 2, 3]);
        Assert.That(await offender.WaitForCloseAsync(), Is.True);
        await AssertStillWorksAsync(bystander);
    }

    [Test]
    public async Task Deeply_nested_json_closes_the_connection()
    {
        await using var bystander = await ConnectSocketIoAsync();
        await using var offender = await ConnectSocketIoAsync();
        await offender.SendTextAsync("42[\"message\"," + new string('[', 200_000) + new string(']', 200_000) + "]");
        Assert.That(await offender.WaitForCloseAsync(), Is.True);
        await AssertStillWorksAsync(bystander);
    }

    [Test]
    public async Task An_unknown_namespace_gets_connect_error_and_the_connection_stays()
    {
        await using var ws = await ConnectSocketIoAsync();
        await ws.SendTextAsync("40/random,{}");
        Assert.That(await ws.ReceiveTextSkippingPingsAsync(), Is.EqualTo("44/random,{\"message\":\"Invalid namespace\"}"));
        await AssertStillWorksAsync(ws);
    }

    [Test]
    public async Task A_connection_that_joins_no_namespace_is_closed_after_connectTimeout()
    {
        await using var ws = await RawWebSocket.ConnectAsync($"{_server.WsUrl}/socket.io/?EIO=4&transport=websocket");
        Assert.That((string)(await ws.ReceiveAsync())!, Does.StartWith("0{"));
        Assert.That(await ws.WaitForCloseAsync(3000), Is.True);
    }

    [Test]
    public async Task Garbage_over_polling_closes_that_session_only()
    {
        using var polling = new Polling(_server.Url, "/socket.io/");
        await using var bystander = await ConnectSocketIoAsync();
        var sid = await polling.OpenAsync();
        await polling.PostAsync(sid, "40");
        await polling.GetAsync(sid); // CONNECT reply and auth
        await polling.PostAsync(sid, "42{\"not\":\"an array\"}");
        // as Node.js: the next poll carries noop + close, then the session is gone
        Assert.That(await polling.GetAsync(sid), Is.EqualTo((HttpStatusCode.OK, "6\u001e1")));
        Assert.That((await polling.GetAsync(sid)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        await AssertStillWorksAsync(bystander);
    }
}
