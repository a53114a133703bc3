using System.Text.Json.Nodes;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Server.Redis;
using StackExchange.Redis;

namespace SocketIoServer.Tests.Server.RedisStreams;

/// <summary>C# nodes sharing one stream on a real Redis: everything of the adapter contract across nodes.</summary>
[TestFixture]
public sealed class RedisStreamsAdapterTests
{
    [Test]
    public async Task ARoomBroadcast_ReachesTheRoomOnEveryNode_Once_BinaryIncluded()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key);
        await using var b = await StreamsTestNode.StartAsync(key);
        await using var c = await StreamsTestNode.StartAsync(key);
        await using var onA = await a.ClientAsync("r", "news");
        await using var onB = await b.ClientAsync("r", "news");
        await using var onC = await c.ClientAsync("r", "news");
        await using var elsewhere = await b.ClientAsync("other", "news");

        await a.Io.To("r").EmitAsync("news", 1, "two", new JsonObject { ["three"] = 3 }, new byte[] { 4, 5 });
        foreach (var client in new[] { onA, onB, onC })
        {
            var received = await client.Events.WaitAsync("news");
            Assert.That(received.ArgsJson, Does.StartWith("""[1,"two",{"three":3},"""));
            Assert.That(received.Attachments.Single(), Is.EqualTo(new byte[] { 4, 5 }), "binary crosses nodes as binary");
        }

        await b.Io.EmitAsync("news", "everyone");
        foreach (var client in new[] { onA, onB, onC, elsewhere })
            await client.Events.WaitAsync("news", e => e.Args[0]!.ToString() == "everyone");
        await Task.Delay(300);
        Assert.Multiple(() =>
        {
            foreach (var client in new[] { onA, onB, onC }) Assert.That(client.Events.Count("news"), Is.EqualTo(2), "once each");
            Assert.That(elsewhere.Events.Count("news"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ExceptLocalAndVolatile_AreHonouredAcrossNodes()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key);
        await using var b = await StreamsTestNode.StartAsync(key);
        await using var onA = await a.ClientAsync("r", "news");
        await using var onB = await b.ClientAsync("r", "news");
        await using var vip = await b.ClientAsync("vip", "news");

        await a.Io.Local.EmitAsync("news", "local only");
        await a.Io.Except("vip").EmitAsync("news", "not for vips");
        await a.Io.Volatile.EmitAsync("news", "volatile");
        await a.Io.EmitAsync("news", "barrier");
        await vip.Events.WaitAsync("news", e => e.Args[0]!.ToString() == "barrier");
        await onB.Events.WaitAsync("news", e => e.Args[0]!.ToString() == "barrier");
        await onA.Events.WaitAsync("news", e => e.Args[0]!.ToString() == "barrier");
        Assert.Multiple(() =>
        {
            Assert.That(onB.Events.Named("news").Select(e => e.Args[0]!.ToString()), Is.EqualTo(new[] { "not for vips", "volatile", "barrier" }));
            Assert.That(vip.Events.Named("news").Select(e => e.Args[0]!.ToString()), Is.EqualTo(new[] { "volatile", "barrier" }));
            Assert.That(onA.Events.Named("news").Select(e => e.Args[0]!.ToString()), Is.EquivalentTo(new[] { "local only", "not for vips", "volatile", "barrier" }));
            Assert.That(onB.Events.Named("news").Single(e => e.Args[0]!.ToString() == "volatile").Args.Count, Is.EqualTo(1), "a volatile event carries no offset");
            Assert.That(onB.Events.Named("news").Single(e => e.Args[0]!.ToString() == "barrier").Args[1]!.ToString(), Does.Match("^[0-9]+-[0-9]+$"),
                "a stored event carries its stream entry id as offset");
        });
    }

    [Test]
    public async Task FetchSockets_SeesEverySocketOfTheCluster_WithHandshakeRoomsAndData()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        await using var b = await StreamsTestNode.StartAsync(key, "b");
        await using var onA = await a.ClientAsync("r");
        await using var onB = await b.ClientAsync("r");
        await using var notInR = await b.ClientAsync("s");

        var sockets = await a.Io.To("r").FetchSocketsAsync();
        Assert.That(sockets.Select(s => s.Id), Is.EquivalentTo(new[] { onA.Id, onB.Id }));
        var remote = sockets.Single(s => s.Id == onB.Id);
        Assert.Multiple(() =>
        {
            Assert.That(remote.Rooms, Is.EquivalentTo(new[] { onB.Id, "r" }));
            Assert.That(remote.Data["node"]?.ToString(), Is.EqualTo("b"));
            Assert.That(remote.Handshake.Query["EIO"], Is.EqualTo("4"));
        });
        Assert.That(await a.Io.MainNamespace.Adapter.SocketsAsync(new HashSet<string> { "r" }), Is.EquivalentTo(new[] { onA.Id, onB.Id }));
    }

    [Test]
    public async Task SocketsJoinLeaveAndDisconnect_ReachSocketsOnOtherNodes()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        await using var b = await StreamsTestNode.StartAsync(key, "b");
        await using var onB = await b.ClientAsync("r", "news");

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
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        await using var b = await StreamsTestNode.StartAsync(key, "b");
        await using var c = await StreamsTestNode.StartAsync(key, "c");

        var answers = await a.Io.MainNamespace.ServerSideEmitWithAckAsync("ping-nodes", TimeSpan.FromSeconds(5), 42);
        Assert.That(answers.Select(r => r[0]!["from"]!.GetValue<string>()), Is.EquivalentTo(new[] { "b", "c" }), "every other node, not itself");
        Assert.That(answers.Select(r => r[0]!["got"]!.GetValue<int>()), Is.All.EqualTo(42));

        var heard = TestWait.Source<int>();
        b.Io.MainNamespace.OnServerSideEvent("no-ack", e => heard.TrySetResult(e.Args[0]!.GetValue<int>()));
        await a.Io.MainNamespace.ServerSideEmitAsync("no-ack", 7);
        Assert.That(await heard.Task.Within("the server-side event"), Is.EqualTo(7));
    }

    [Test]
    public async Task BroadcastAcks_ComeFromEveryNode()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        await using var b = await StreamsTestNode.StartAsync(key, "b");
        await using var c = await StreamsTestNode.StartAsync(key, "c");
        await using var onA = await a.ClientAsync("r");
        await using var onB = await b.ClientAsync("r");
        await using var onC = await c.ClientAsync("r");
        onA.Socket.On("question", r => r.CallbackAsync("from A"));
        onB.Socket.On("question", r => r.CallbackAsync("from B"));
        onC.Socket.On("question", r => r.CallbackAsync("from C"));

        var answers = await a.Io.To("r").Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", 1);
        Assert.That(answers.Select(n => n!.GetValue<string>()), Is.EquivalentTo(new[] { "from A", "from B", "from C" }));
    }

    [Test]
    public async Task ServerCount_CountsTheNodes_AndADeadNodeDropsOut()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(1));
        var b = await StreamsTestNode.StartAsync(key, "b");
        await using (var c = await StreamsTestNode.StartAsync(key, "c"))
        {
            Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(3));
            // b dies: its Redis connections go, and nothing of its namespace says goodbye
            await b.Factory.DisposeAsync();
            await TestWait.UntilAsync(() => a.Io.MainNamespace.Adapter.ServerCountAsync().Result == 2, "the dead node dropping out of the count");
            var answers = await a.Io.MainNamespace.ServerSideEmitWithAckAsync("ping-nodes", TimeSpan.FromSeconds(5), 1);
            Assert.That(answers.Select(r => r[0]!["from"]!.GetValue<string>()), Is.EqualTo(new[] { "c" }));
        }
        await b.App.DisposeAsync();
    }

    [Test]
    public async Task ARequestToANodeThatDoesNotAnswer_TimesOutCleanly()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a", TimeSpan.FromMilliseconds(500));
        // a "node" that is subscribed (so it counts) but never answers: a hung process whose connection lingers
        await using var silent = await ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(RedisTestServer.Url));
        await silent.GetSubscriber().SubscribeAsync(RedisChannel.Literal(key + "#/#"), (_, _) => { });
        Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(2));

        var error = Assert.ThrowsAsync<TimeoutException>(() => a.Io.FetchSocketsAsync());
        Assert.That(error!.Message, Does.Contain("fetchSockets"));
        Assert.ThrowsAsync<TimeoutException>(() => a.Io.MainNamespace.ServerSideEmitWithAckAsync("ping-nodes", TimeSpan.FromMilliseconds(500), 1));
        await using var client = await a.ClientAsync("r", "news");
        await a.Io.To("r").EmitAsync("news", "still working");
        await client.Events.WaitAsync("news");
    }
}
