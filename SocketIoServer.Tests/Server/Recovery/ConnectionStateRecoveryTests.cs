using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using SocketIoServer.Server;
using SocketIoServer.Server.Recovery;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.Recovery;

/// <summary>
/// Connection state recovery against a real server, with raw WebSocket clients speaking the protocol as
/// socket.io-client does: the CONNECT reply carries a pid, every stored event its offset, and a client whose
/// connection was cut asks for its socket back with <c>{pid, offset}</c>.
/// </summary>
[TestFixture]
public sealed class ConnectionStateRecoveryTests
{
    private sealed class Server : IAsyncDisposable
    {
        public required WebApplication App { get; init; }
        public required IoServer Io { get; init; }
        public required string Url { get; init; }
        public int MiddlewareRuns;
        public Func<Socket, bool> Admit = _ => true;

        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<Server> StartAsync(Action<ConnectionStateRecoveryOptions>? configure = null, TimeProvider? time = null, bool recovery = true)
    {
        Server? server = null;
        IoServer? io = null;
        var (app, url) = await TestHost.StartAsync(o =>
        {
            o.Engine.PingInterval = TimeSpan.FromSeconds(30);
            if (recovery)
            {
                o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions();
                configure?.Invoke(o.ConnectionStateRecovery);
            }
        }, setUp: s =>
        {
            io = s;
            s.Use(socket =>
            {
                Interlocked.Increment(ref server!.MiddlewareRuns);
                if (!server.Admit(socket)) throw new ConnectionRefusedException("refused");
            });
            s.OnConnection(socket =>
            {
                socket.Data.TryAdd("name", socket.Handshake.Auth["name"]?.GetValue<string>());
                socket.On("join", e =>
                {
                    socket.Join(e.Arg<string>(0)!);
                    e.Ack();
                });
            });
        }, time: time);
        server = new Server { App = app, Io = io!, Url = url };
        return server;
    }

    private static async Task<JsonArray> ReceiveEventAsync(RawWebSocket ws)
    {
        var frame = await ws.ReceiveTextSkippingPingsAsync() ?? throw new AssertionException("closed");
        Assert.That(frame, Does.StartWith("42"));
        return JsonNode.Parse(frame[2..])!.AsArray();
    }

    private static string OffsetOf(JsonArray eventArgs) => eventArgs[^1]!.GetValue<string>();

    /// <summary>Cuts the connection without a close frame or DISCONNECT, and waits until the server has seen it.</summary>
    private static async Task CutAsync(Server server, RecoveringClient client)
    {
        client.Ws.Abort();
        for (var i = 0; i < 500 && server.Io.MainNamespace.Sockets.ContainsKey(client.Sid); i++) await Task.Delay(10);
        Assert.That(server.Io.MainNamespace.Sockets.ContainsKey(client.Sid), Is.False, "the server saw the cut");
    }

    private static async Task JoinAsync(RecoveringClient client, string room)
    {
        await client.Ws.SendTextAsync($"421[\"join\",\"{room}\"]");
        Assert.That(await client.Ws.ReceiveTextSkippingPingsAsync(), Is.EqualTo("431[]"));
    }

    [Test]
    public async Task CutConnection_Recovers_MissedEventsInOrderOnce_RoomsAndDataKept_MiddlewaresSkipped()
    {
        await using var server = await StartAsync();
        var first = await RecoveringClient.ConnectWithPayloadAsync(server.Url, """{"name":"alice"}""");
        Assert.That(first.Pid, Is.Not.Null.And.Not.Empty, "the CONNECT reply carries a pid");
        await JoinAsync(first, "room-a");

        await server.Io.EmitAsync("news", 1);
        var seen = await ReceiveEventAsync(first.Ws);
        Assert.That(seen.Count, Is.EqualTo(3), "event name, argument, offset: " + seen.ToJsonString());

        await CutAsync(server, first);
        await server.Io.EmitAsync("news", 2);
        await server.Io.To("room-a").EmitAsync("room", 3);
        await server.Io.To(first.Sid).EmitAsync("direct", 4);
        await server.Io.To("room-b").EmitAsync("not-for-me", 5);
        await server.Io.Except("room-a").EmitAsync("not-for-me", 6);
        await server.Io.Volatile.EmitAsync("not-stored", 7);
        var runsBefore = server.MiddlewareRuns;

        var back = await RecoveringClient.ConnectWithPayloadAsync(server.Url, $$"""{"pid":"{{first.Pid}}","offset":"{{OffsetOf(seen)}}"}""");

        Assert.Multiple(() =>
        {
            Assert.That(back.Sid, Is.EqualTo(first.Sid), "same socket id");
            Assert.That(back.Pid, Is.EqualTo(first.Pid));
            Assert.That(back.Before.Select(f => JsonNode.Parse(f[2..])![0]!.GetValue<string>() + JsonNode.Parse(f[2..])![1]),
                Is.EqualTo(new[] { "news2", "room3", "direct4" }), "missed events, in order, before the CONNECT reply");
            Assert.That(back.Before.Select(f => JsonNode.Parse(f[2..])!.AsArray().Count), Is.All.EqualTo(3), "each with its offset");
            Assert.That(server.MiddlewareRuns, Is.EqualTo(runsBefore), "middlewares skipped");
        });
        var socket = server.Io.MainNamespace.Sockets[back.Sid];
        Assert.Multiple(() =>
        {
            Assert.That(socket.Recovered, Is.True);
            Assert.That(socket.Rooms, Is.EquivalentTo(new[] { back.Sid, "room-a" }));
            Assert.That(socket.Data["name"], Is.EqualTo("alice"));
        });

        await server.Io.To("room-a").EmitAsync("room", 8);
        var live = await ReceiveEventAsync(back.Ws);
        Assert.That(live[1]!.GetValue<int>(), Is.EqualTo(8), "still in its room");
        await back.Ws.DisposeAsync();
    }

    [Test]
    public async Task SocketEmit_IsStoredToo()
    {
        await using var server = await StartAsync();
        var first = await RecoveringClient.ConnectWithPayloadAsync(server.Url, "{}");
        server.Io.MainNamespace.Sockets[first.Sid].Emit("hello", "a");
        var seen = await ReceiveEventAsync(first.Ws);
        Assert.That(seen.ToJsonString(), Does.StartWith("""["hello","a","""));

        await CutAsync(server, first);
        await server.Io.EmitAsync("after", 1);
        var back = await RecoveringClient.ConnectWithPayloadAsync(server.Url, $$"""{"pid":"{{first.Pid}}","offset":"{{OffsetOf(seen)}}"}""");
        Assert.That(back.Before, Has.Count.EqualTo(1));
        Assert.That(back.Before[0], Does.StartWith("""42["after",1,"""));
        await back.Ws.DisposeAsync();
    }

    [Test]
    public async Task ASession_IsRecoveredOnce()
    {
        await using var server = await StartAsync();
        var first = await RecoveringClient.ConnectWithPayloadAsync(server.Url, "{}");
        await server.Io.EmitAsync("news", 1);
        var offset = OffsetOf(await ReceiveEventAsync(first.Ws));
        await CutAsync(server, first);

        var back = await RecoveringClient.ConnectWithPayloadAsync(server.Url, $$"""{"pid":"{{first.Pid}}","offset":"{{offset}}"}""");
        Assert.That(back.Sid, Is.EqualTo(first.Sid));
        var replay = await RecoveringClient.ConnectWithPayloadAsync(server.Url, $$"""{"pid":"{{first.Pid}}","offset":"{{offset}}"}""");
        Assert.That(replay.Sid, Is.Not.EqualTo(first.Sid), "the same pid again gets a fresh session");
        Assert.That(server.Io.MainNamespace.Sockets[replay.Sid].Recovered, Is.False);
        await back.Ws.DisposeAsync();
        await replay.Ws.DisposeAsync();
    }

    [Test]
    public async Task AfterMaxDisconnectionDuration_AFreshSession()
    {
        var clock = new ManualTimeProvider();
        await using var server = await StartAsync(o => o.MaxDisconnectionDuration = TimeSpan.FromSeconds(30), clock);
        var first = await RecoveringClient.ConnectWithPayloadAsync(server.Url, "{}");
        await server.Io.EmitAsync("news", 1);
        var offset = OffsetOf(await ReceiveEventAsync(first.Ws));
        await CutAsync(server, first);
        await server.Io.EmitAsync("news", 2);
        clock.Advance(TimeSpan.FromSeconds(31));

        var back = await RecoveringClient.ConnectWithPayloadAsync(server.Url, $$"""{"pid":"{{first.Pid}}","offset":"{{offset}}"}""");
        Assert.Multiple(() =>
        {
            Assert.That(back.Sid, Is.Not.EqualTo(first.Sid));
            Assert.That(back.Pid, Is.Not.EqualTo(first.Pid));
            Assert.That(back.Before, Is.Empty, "no replay");
            Assert.That(server.Io.MainNamespace.Sockets[back.Sid].Recovered, Is.False);
        });
        await back.Ws.DisposeAsync();
    }

    [TestCase("""{"pid":"unknown","offset":"OFFSET"}""", TestName = "Unknown pid")]
    [TestCase("""{"pid":"PID","offset":"not-an-offset"}""", TestName = "Unknown offset")]
    [TestCase("""{"pid":"PID","offset":12}""", TestName = "Offset not a string")]
    [TestCase("""{"pid":["PID"],"offset":"OFFSET"}""", TestName = "Pid not a string")]
    [TestCase("""{"pid":"PID"}""", TestName = "No offset (no event received yet)")]
    public async Task BadRecoveryRequests_GetAFreshSession_NeverARefusal(string authTemplate)
    {
        await using var server = await StartAsync();
        var first = await RecoveringClient.ConnectWithPayloadAsync(server.Url, "{}");
        await server.Io.EmitAsync("news", 1);
        var offset = OffsetOf(await ReceiveEventAsync(first.Ws));
        await CutAsync(server, first);

        var back = await RecoveringClient.ConnectWithPayloadAsync(server.Url, authTemplate.Replace("PID", first.Pid).Replace("OFFSET", offset));
        Assert.Multiple(() =>
        {
            Assert.That(back.Sid, Is.Not.EqualTo(first.Sid));
            Assert.That(back.Before, Is.Empty);
            Assert.That(server.Io.MainNamespace.Sockets[back.Sid].Recovered, Is.False);
        });
        await back.Ws.DisposeAsync();
    }

    [Test]
    public async Task ClientDisconnect_IsNotRecoverable()
    {
        await using var server = await StartAsync();
        var first = await RecoveringClient.ConnectWithPayloadAsync(server.Url, "{}");
        await server.Io.EmitAsync("news", 1);
        var offset = OffsetOf(await ReceiveEventAsync(first.Ws));
        await first.Ws.SendTextAsync("41"); // "client namespace disconnect"
        for (var i = 0; i < 500 && server.Io.MainNamespace.Sockets.ContainsKey(first.Sid); i++) await Task.Delay(10);

        var back = await RecoveringClient.ConnectWithPayloadAsync(server.Url, $$"""{"pid":"{{first.Pid}}","offset":"{{offset}}"}""");
        Assert.That(back.Sid, Is.Not.EqualTo(first.Sid));
        await back.Ws.DisposeAsync();
        await first.Ws.DisposeAsync();
    }

    [Test]
    public async Task WithMiddlewares_NotSkipped_TheyRunAndMayRefuse()
    {
        await using var server = await StartAsync(o => o.SkipMiddlewares = false);
        var first = await RecoveringClient.ConnectWithPayloadAsync(server.Url, "{}");
        await JoinAsync(first, "room-a");
        await server.Io.EmitAsync("news", 1);
        var offset = OffsetOf(await ReceiveEventAsync(first.Ws));
        await CutAsync(server, first);
        await server.Io.EmitAsync("news", 2);

        var recoveredSeen = new List<bool>();
        server.Admit = socket =>
        {
            lock (recoveredSeen) recoveredSeen.Add(socket.Recovered);
            return false;
        };
        var ws = await RawWebSocket.ConnectAsync(server.Url.Replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket");
        await ws.ReceiveTextSkippingPingsAsync();
        await ws.SendTextAsync($$"""40{"pid":"{{first.Pid}}","offset":"{{offset}}"}""");
        Assert.That(await ws.ReceiveTextSkippingPingsAsync(), Does.StartWith("""42["news",2,"""), "missed events go first, as Node.js");
        Assert.That(await ws.ReceiveTextSkippingPingsAsync(), Is.EqualTo("""44{"message":"refused"}"""));
        Assert.Multiple(() =>
        {
            Assert.That(recoveredSeen, Is.EqualTo(new[] { true }), "the middleware ran and saw a recovered socket");
            Assert.That(server.Io.MainNamespace.Adapter.Rooms.ContainsKey("room-a"), Is.False, "a refused socket keeps no room");
        });
        await ws.DisposeAsync();
    }

    [Test]
    public async Task RecoveryOff_NoPid_NoOffsets()
    {
        await using var server = await StartAsync(recovery: false);
        var client = await RecoveringClient.ConnectWithPayloadAsync(server.Url, "{}");
        await server.Io.EmitAsync("news", 1);
        var args = await ReceiveEventAsync(client.Ws);
        Assert.Multiple(() =>
        {
            Assert.That(client.Pid, Is.Null);
            Assert.That(args.ToJsonString(), Is.EqualTo("""["news",1]"""));
        });
        await client.Ws.DisposeAsync();
    }

    [Test]
    public void Options_MaxDisconnectionDurationMustBePositive()
    {
        var options = new SocketIoOptions { ConnectionStateRecovery = new() { MaxDisconnectionDuration = TimeSpan.Zero } };
        var error = Assert.Throws<InvalidOperationException>(() => new IoServer(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.That(error!.Message, Does.Contain("MaxDisconnectionDuration"));
    }
}
