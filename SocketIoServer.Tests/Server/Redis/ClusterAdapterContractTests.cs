using System.Text.Json.Nodes;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Server.RedisStreams;
using StackExchange.Redis;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// What every cluster adapter must do across C# nodes on a real Redis, run once per adapter: broadcasts once with
/// their options, fetchSockets, remote join/leave/disconnect, server-side emits, broadcast acks, the server count, and
/// clean timeouts for a node that does not answer. Each adapter's own wire details are tested beside it.
/// </summary>
[TestFixture(ClusterAdapterKind.PubSub)]
[TestFixture(ClusterAdapterKind.Streams)]
public sealed class ClusterAdapterContractTests(ClusterAdapterKind kind)
{
    private async Task<IClusterTestNode> StartNodeAsync(string key, string name = "node", TimeSpan? requestsTimeout = null) => kind switch
    {
        ClusterAdapterKind.PubSub => await RedisTestNode.StartAsync(key, name, requestsTimeout),
        _ => await StreamsTestNode.StartAsync(key, name, requestsTimeout),
    };

    /// <summary>The channel whose subscribers a node counts as the other servers.</summary>
    private string RequestChannel(string key) => kind == ClusterAdapterKind.PubSub ? key + "-request#/#" : key + "#/#";

    private static string First(ReceivedEvent e) => e.Args[0]!.ToString();

    [Test]
    public async Task ARoomBroadcast_ReachesTheRoomOnEveryNode_Once_BinaryIncluded()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        await using var b = await StartNodeAsync(key);
        await using var c = await StartNodeAsync(key);
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
            await client.Events.WaitAsync("news", e => First(e) == "everyone");
        await Task.Delay(300); // time for a duplicate to arrive, if one were sent
        Assert.Multiple(() =>
        {
            foreach (var client in new[] { onA, onB, onC }) Assert.That(client.Events.Count("news"), Is.EqualTo(2), "once each, never echoed back");
            Assert.That(elsewhere.Events.Count("news"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ExceptLocalAndVolatile_AreHonouredAcrossNodes()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        await using var b = await StartNodeAsync(key);
        await using var onA = await a.ClientAsync("r", "news");
        await using var onB = await b.ClientAsync("r", "news");
        await using var vip = await b.ClientAsync("vip", "news");

        await a.Io.Local.EmitAsync("news", "local only");
        await a.Io.Except("vip").EmitAsync("news", "not for vips");
        await a.Io.Volatile.EmitAsync("news", "volatile");
        await a.Io.EmitAsync("news", "barrier");
        await vip.Events.WaitAsync("news", e => First(e) == "barrier");
        await onB.Events.WaitAsync("news", e => First(e) == "barrier");
        await onA.Events.WaitAsync("news", e => First(e) == "barrier");
        Assert.Multiple(() =>
        {
            Assert.That(onB.Events.Named("news").Select(First), Is.EqualTo(new[] { "not for vips", "volatile", "barrier" }));
            Assert.That(vip.Events.Named("news").Select(First), Is.EqualTo(new[] { "volatile", "barrier" }));
            Assert.That(onA.Events.Named("news").Select(First), Is.EquivalentTo(new[] { "local only", "not for vips", "volatile", "barrier" }));
        });
    }

    [Test]
    public async Task ABurstOfBroadcasts_ArrivesOnTheOtherNodeInTheOrderSent()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        await using var b = await StartNodeAsync(key);
        await using var onB = await b.ClientAsync("r", "n");
        const int count = 200;
        // to the room, to everyone, with an exception: three channels or forms, one order
        for (var i = 0; i < count; i++)
        {
            var operators = (i % 3) switch { 0 => a.Io.To("r"), 1 => a.Io.Except("nobody"), _ => a.Io.To("r").Except("nobody") };
            await operators.EmitAsync("n", i);
        }
        await onB.Events.WaitAsync("n", e => e.Args[0]!.GetValue<int>() == count - 1);
        await Task.Delay(100); // anything still on its way
        Assert.That(onB.Events.Named("n").Select(e => e.Args[0]!.GetValue<int>()), Is.EqualTo(Enumerable.Range(0, count)));
    }

    [Test]
    public async Task ANamespaceMadeAfterStartUp_JoinsTheClusterToo()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        await using var b = await StartNodeAsync(key);
        // made while the servers run (a dynamic namespace's child is made the same way, on its first connection)
        var late = a.Io.Of("/late");
        b.Io.Of("/late");
        await using var onB = await TestClient.ConnectAsync(b.Url, ClientTransport.WebSocket, "/late", null, "news");

        await TestWait.UntilAsync(() => late.Adapter.ServerCountAsync().Result == 2, "both nodes' /late adapters started");
        await late.EmitAsync("news", "to the late namespace");
        Assert.That(First(await onB.Events.WaitAsync("news")), Is.EqualTo("to the late namespace"));
        Assert.That((await late.FetchSocketsAsync()).Select(s => s.Id), Is.EqualTo(new[] { onB.Id }));
    }

    [Test]
    public async Task FetchSockets_SeesEverySocketOfTheCluster_WithHandshakeRoomsAndData()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key, "a");
        await using var b = await StartNodeAsync(key, "b");
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
        await using var a = await StartNodeAsync(key, "a");
        await using var b = await StartNodeAsync(key, "b");
        await using var c = await StartNodeAsync(key, "c");

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
        await using var a = await StartNodeAsync(key, "a");
        await using var b = await StartNodeAsync(key, "b");
        await using var c = await StartNodeAsync(key, "c");
        await using var onA = await a.ClientAsync("r");
        await using var onB = await b.ClientAsync("r");
        await using var onC = await c.ClientAsync("r");
        foreach (var (client, name) in new[] { (onA, "A"), (onB, "B"), (onC, "C") })
            client.Socket.On("question", r => r.CallbackAsync("from " + name));

        var answers = await a.Io.To("r").Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", 1);
        Assert.That(answers.Select(n => n!.GetValue<string>()), Is.EquivalentTo(new[] { "from A", "from B", "from C" }));
    }

    [Test]
    public async Task ServerCount_CountsTheNodes_AndADeadNodeDropsOut()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key, "a");
        Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(1));
        await using var b = await StartNodeAsync(key, "b");
        await using var c = await StartNodeAsync(key, "c");
        Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(3));

        // b dies: its Redis connections go, and nothing of its namespace says goodbye
        await b.DropRedisAsync();
        await TestWait.UntilAsync(() => a.Io.MainNamespace.Adapter.ServerCountAsync().Result == 2, "the dead node dropping out of the count");
        var answers = await a.Io.MainNamespace.ServerSideEmitWithAckAsync("ping-nodes", TimeSpan.FromSeconds(5), 1);
        Assert.That(answers.Select(r => r[0]!["from"]!.GetValue<string>()), Is.EqualTo(new[] { "c" }));
    }

    [Test]
    public async Task ARequestToANodeThatDoesNotAnswer_TimesOutCleanly()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key, "a", TimeSpan.FromMilliseconds(500));
        // a "node" that is subscribed (so it counts) but never answers: a hung process whose connection lingers
        await using var silent = await ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(RedisTestServer.Url));
        await silent.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RequestChannel(key)), (_, _) => { });
        Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(2));

        var error = Assert.ThrowsAsync<TimeoutException>(() => a.Io.FetchSocketsAsync());
        Assert.That(error!.Message, Does.Contain("fetchSockets"));
        Assert.ThrowsAsync<TimeoutException>(() => a.Io.MainNamespace.ServerSideEmitWithAckAsync("ping-nodes", TimeSpan.FromMilliseconds(500), 1));
        await using var client = await a.ClientAsync("r", "news");
        await a.Io.To("r").EmitAsync("news", "still working");
        await client.Events.WaitAsync("news");
    }
}
