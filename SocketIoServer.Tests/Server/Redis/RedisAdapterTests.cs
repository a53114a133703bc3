using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Server;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>Two server nodes sharing a real Redis through the adapter: broadcasts cross nodes, once, with their options.</summary>
[TestFixture]
public sealed class RedisAdapterTests
{
    private static Task<RedisTestNode> StartNodeAsync(string key, string name = "node", TimeSpan? requestsTimeout = null) =>
        RedisTestNode.StartAsync(key, name, requestsTimeout);

    private static Task<TestClient> ClientAsync(RedisTestNode node, string room, params string[] record) => node.ClientAsync(room, record);

    [Test]
    public async Task ARoomBroadcast_ReachesTheRoomOnEveryNode_Once()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        await using var b = await StartNodeAsync(key);
        await using var onA = await ClientAsync(a, "r", "news");
        await using var onB = await ClientAsync(b, "r", "news");
        await using var elsewhere = await ClientAsync(b, "other", "news");

        await a.Io.To("r").EmitAsync("news", 1, "two", new JsonObject { ["three"] = 3 }, new byte[] { 4, 5 });
        var received = await onB.Events.WaitAsync("news");
        Assert.That(received.ArgsJson, Does.StartWith("""[1,"two",{"three":3},"""));
        Assert.That(received.Attachments.Single(), Is.EqualTo(new byte[] { 4, 5 }), "binary crosses nodes as binary");
        await onA.Events.WaitAsync("news");

        await b.Io.EmitAsync("news", "everyone");
        await elsewhere.Events.WaitAsync("news", e => e.ArgsJson == """["everyone"]""");
        await onA.Events.WaitAsync("news", e => e.ArgsJson == """["everyone"]""");
        await onB.Events.WaitAsync("news", e => e.ArgsJson == """["everyone"]""");
        await Task.Delay(200);
        Assert.Multiple(() =>
        {
            Assert.That(onA.Events.Count("news"), Is.EqualTo(2), "once each, never echoed back by the other node");
            Assert.That(onB.Events.Count("news"), Is.EqualTo(2));
            Assert.That(elsewhere.Events.Count("news"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ExceptAndLocal_AreHonouredAcrossNodes()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        await using var b = await StartNodeAsync(key);
        await using var onA = await ClientAsync(a, "r", "news");
        await using var onB = await ClientAsync(b, "r", "news");
        await using var vip = await ClientAsync(b, "vip", "news");

        await a.Io.Local.EmitAsync("news", "local only");
        await a.Io.Except("vip").EmitAsync("news", "not for vips");
        await a.Io.EmitAsync("news", "barrier");
        await vip.Events.WaitAsync("news", e => e.ArgsJson == """["barrier"]""");
        await onB.Events.WaitAsync("news", e => e.ArgsJson == """["barrier"]""");
        Assert.Multiple(() =>
        {
            Assert.That(onB.Events.Named("news").Select(e => e.ArgsJson), Is.EqualTo(new[] { """["not for vips"]""", """["barrier"]""" }));
            Assert.That(vip.Events.Named("news").Select(e => e.ArgsJson), Is.EqualTo(new[] { """["barrier"]""" }));
        });
    }

    [Test]
    public async Task AVolatileBroadcast_CarriesItsFlagToTheOtherNodes()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        await using var b = await StartNodeAsync(key);
        await using var onB = await ClientAsync(b, "r", "news");
        // what goes over Redis, as any node (Node.js ones included) reads it
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(RedisTestServer.Url));
        var published = TestWait.Source<RedisMessages.Broadcast>();
        await redis.GetSubscriber().SubscribeAsync(StackExchange.Redis.RedisChannel.Literal(key + "#/#r#"),
            (_, message) => { if (RedisMessages.DecodeBroadcast(message!) is { } b) published.TrySetResult(b); });

        await a.Io.To("r").Volatile.EmitAsync("news", "may be dropped");

        var broadcast = await published.Task.Within("the broadcast on Redis");
        Assert.Multiple(() =>
        {
            Assert.That(broadcast.Options.Volatile, Is.True);
            Assert.That(broadcast.Options.Rooms, Is.EquivalentTo(new[] { "r" }));
        });
        // a connected, writable socket on the other node still gets a volatile event
        Assert.That((await onB.Events.WaitAsync("news")).ArgsJson, Is.EqualTo("""["may be dropped"]"""));
    }

    [Test]
    public async Task ServerCount_CountsTheNodes()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(1));
        await using var b = await StartNodeAsync(key);
        Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(2));
    }

    [TestCase("redis://localhost", "localhost:6379")]
    [TestCase("redis://:secret@cache:6380/2", "cache:6380,password=secret,defaultDatabase=2")]
    [TestCase("rediss://user:pw@cache", "cache:6379,user=user,password=pw,ssl=true")]
    [TestCase("cache:6379,password=x", "cache:6379,password=x")]
    public void RedisUrls_BecomeConfigurationStrings(string url, string expected) =>
        Assert.That(RedisAdapterFactory.ToConfiguration(url), Is.EqualTo(expected));

    [Test]
    public async Task FetchSockets_SeesEverySocketOfTheCluster_WithHandshakeRoomsAndData()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key, "a");
        await using var b = await StartNodeAsync(key, "b");
        await using var onA = await ClientAsync(a, "r");
        await using var onB = await ClientAsync(b, "r");

        var sockets = await a.Io.To("r").FetchSocketsAsync();
        Assert.That(sockets.Select(s => s.Id), Is.EquivalentTo(new[] { onA.Id, onB.Id }));
        var remote = sockets.Single(s => s.Id == onB.Id);
        Assert.Multiple(() =>
        {
            Assert.That(remote.Rooms, Is.EquivalentTo(new[] { onB.Id, "r" }));
            Assert.That(remote.Data["node"]?.ToString(), Is.EqualTo("b"));
            Assert.That(remote.Handshake.Query["EIO"], Is.EqualTo("4"));
            Assert.That(remote.Handshake.Url, Does.StartWith("/socket.io/"));
        });
        Assert.That(await a.Io.MainNamespace.Adapter.SocketsAsync(new HashSet<string> { "r" }), Is.EquivalentTo(new[] { onA.Id, onB.Id }));
    }

    [Test]
    public async Task SocketsJoinLeaveAndDisconnect_ReachSocketsOnOtherNodes()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key, "a");
        await using var b = await StartNodeAsync(key, "b");
        await using var onB = await ClientAsync(b, "r", "news");

        await a.Io.In("r").SocketsJoinAsync("joined-remotely");
        await TestWait.UntilAsync(() => b.Io.MainNamespace.Sockets[onB.Id].Rooms.Contains("joined-remotely"), "the remote join");
        await a.Io.In("r").SocketsLeaveAsync("r");
        await TestWait.UntilAsync(() => !b.Io.MainNamespace.Sockets[onB.Id].Rooms.Contains("r"), "the remote leave");
        await a.Io.In("joined-remotely").DisconnectSocketsAsync();
        Assert.That(await onB.Disconnected.Within("the remote disconnect"), Is.EqualTo("io server disconnect"));
    }

    [Test]
    public async Task ServerSideEmit_ReachesTheOtherNodes_AndCollectsTheirAnswers()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key, "a");
        await using var b = await StartNodeAsync(key, "b");
        await using var c = await StartNodeAsync(key, "c");

        var answers = await a.Io.MainNamespace.ServerSideEmitWithAckAsync("ping-nodes", TimeSpan.FromSeconds(5), 42);
        Assert.That(answers.Select(r => r[0]!["from"]!.GetValue<string>()), Is.EquivalentTo(new[] { "b", "c" }), "every other node, not itself");
        Assert.That(answers.Select(r => r[0]!["got"]!.GetValue<int>()), Is.All.EqualTo(42));

        var heard = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Io.MainNamespace.OnServerSideEvent("no-ack", e => heard.TrySetResult(e.Args[0]!.GetValue<int>()));
        await a.Io.MainNamespace.ServerSideEmitAsync("no-ack", 7);
        Assert.That(await heard.Task.Within("the server-side event"), Is.EqualTo(7));
    }

    [Test]
    public async Task BroadcastAcks_ComeFromEveryNode()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key, "a");
        await using var b = await StartNodeAsync(key, "b");
        await using var onA = await ClientAsync(a, "r");
        await using var onB = await ClientAsync(b, "r");
        onA.Socket.On("question", r => r.CallbackAsync("from A"));
        onB.Socket.On("question", r => r.CallbackAsync("from B"));

        var answers = await a.Io.To("r").Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", 1);
        Assert.That(answers.Select(n => n!.GetValue<string>()), Is.EquivalentTo(new[] { "from A", "from B" }));
    }

    [Test]
    public async Task ARequestToANodeThatDoesNotAnswer_TimesOutCleanly()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key, "a", TimeSpan.FromMilliseconds(500));
        // a "node" that is subscribed (so it counts) but never answers: a crashed process whose connection lingers
        await using var silent = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(RedisTestServer.Url));
        await silent.GetSubscriber().SubscribeAsync(StackExchange.Redis.RedisChannel.Literal(key + "-request#/#"), (_, _) => { });
        Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(2));

        var error = Assert.ThrowsAsync<TimeoutException>(() => a.Io.FetchSocketsAsync());
        Assert.That(error!.Message, Does.Contain("fetchSockets"));
        await using var client = await ClientAsync(a, "r", "news");
        await a.Io.To("r").EmitAsync("news", "still working");
        await client.Events.WaitAsync("news");
    }
}
