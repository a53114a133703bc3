using SocketIoServer.Tests.Support;
using System.Text.Json.Nodes;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Server.Redis;

namespace SocketIoServer.Tests.Server.RedisStreams;

/// <summary>
/// A C# node and a Node.js socket.io 4.8 node on npm @socket.io/redis-streams-adapter 0.3 (<c>js/cluster/streams-peer.mjs</c>)
/// share one stream: broadcasts, fetchSockets and server-side emits cross both ways, and a client recovers across
/// them (a real socket.io-client from Node.js to C#, a protocol client from C# to Node.js).
/// </summary>
[TestFixture]
public sealed class StreamsMixedClusterTests
{
    private static Task<NodePeer> PeerAsync(string key) => NodePeer.StartAsync(key, "streams-peer.mjs");

    [Test]
    public async Task Broadcasts_CrossBothWays_WithBinaryAndOffsets()
    {
        var key = RedisTestServer.NewKey();
        await using var csharp = await StreamsTestNode.StartAsync(key, "csharp");
        await using var peer = await PeerAsync(key);
        await using var onCsharp = await csharp.ClientAsync("r", "news");
        await using var onNode = await peer.ClientAsync("r", "news");
        Assert.That((await peer.RunAsync(NodePeer.Command("count")))!.GetValue<int>(), Is.EqualTo(2), "Node.js counts the C# node");
        Assert.That(await csharp.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(2));

        await csharp.Io.To("r").EmitAsync("news", "from C#", new byte[] { 1, 2, 3 }, new JsonObject { ["n"] = 1 });
        var atNode = await onNode.Events.WaitAsync("news");
        Assert.That(atNode.ArgsJson, Does.StartWith("""["from C#","""));
        Assert.That(atNode.Attachments.Single(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(atNode.Args[^1]!.GetValue<string>(), Does.Match("^[0-9]+-[0-9]+$"), "Node.js gives the entry id as offset");
        var atCsharpToo = await onCsharp.Events.WaitAsync("news");
        Assert.That(atCsharpToo.Args[^1]!.GetValue<string>(), Is.EqualTo(atNode.Args[^1]!.GetValue<string>()), "one offset for one event on every node");

        await peer.RunAsync(NodePeer.Command("broadcast", ("rooms", new JsonArray("r")), ("event", "news"),
            ("args", new JsonArray("from Node", new JsonObject { ["$binary"] = Convert.ToBase64String([4, 5]) }))));
        var atCsharp = await onCsharp.Events.WaitAsync("news", e => e.Args[0]!.GetValue<string>() == "from Node");
        Assert.That(atCsharp.Attachments.Single(), Is.EqualTo(new byte[] { 4, 5 }));
        await Task.Delay(300);
        Assert.That(onCsharp.Events.Count("news"), Is.EqualTo(2), "each event once");
    }

    [Test]
    public async Task FetchSocketsAndServerSideEmit_CrossBothWays()
    {
        var key = RedisTestServer.NewKey();
        await using var csharp = await StreamsTestNode.StartAsync(key, "csharp");
        await using var peer = await PeerAsync(key);
        await using var onCsharp = await csharp.ClientAsync("r");
        await using var onNode = await peer.ClientAsync("r");

        var seenByCsharp = await csharp.Io.In("r").FetchSocketsAsync();
        Assert.That(seenByCsharp.Select(s => s.Id), Is.EquivalentTo(new[] { onCsharp.Id, onNode.Id }));
        Assert.That(seenByCsharp.Single(s => s.Id == onNode.Id).Data["node"]?.ToString(), Is.EqualTo("node"));

        var seenByNode = (JsonArray)(await peer.RunAsync(NodePeer.Command("fetch", ("rooms", new JsonArray("r")))))!;
        var csharpSocket = seenByNode.Single(s => s!["id"]!.GetValue<string>() == onCsharp.Id)!;
        Assert.Multiple(() =>
        {
            Assert.That(seenByNode.Count, Is.EqualTo(2));
            Assert.That(csharpSocket["data"]!["node"]!.GetValue<string>(), Is.EqualTo("csharp"));
            Assert.That(csharpSocket["rooms"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EquivalentTo(new[] { onCsharp.Id, "r" }));
        });

        var fromNode = (JsonArray)(await peer.RunAsync(NodePeer.Command("server-side-emit", ("event", "ping-nodes"), ("args", new JsonArray(5)))))!;
        Assert.That(fromNode.Single()!["from"]!.GetValue<string>(), Is.EqualTo("csharp"));
        var fromCsharp = await csharp.Io.MainNamespace.ServerSideEmitWithAckAsync("ping-nodes", TimeSpan.FromSeconds(5), 6);
        Assert.That(fromCsharp.Single()[0]!["from"]!.GetValue<string>(), Is.EqualTo("node"));
    }

    [Test]
    public async Task ASocketIoClient_CutFromTheNodeServer_RecoversOnTheCsharpNode_WithWhatItMissed()
    {
        var key = RedisTestServer.NewKey();
        await using var csharp = await StreamsTestNode.StartAsync(key, "csharp");
        await using var peer = await PeerAsync(key);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(
            SocketIoServer.Server.Adapters.Redis.RedisAdapterFactory.ToConfiguration(RedisTestServer.Url));
        await using var observer = await csharp.ClientAsync("r", "news");
        var connected = (await peer.RunAsync(NodePeer.Command("client", ("name", "c1"), ("url", peer.Url + "?rooms=r"))))!;
        Assert.That(connected["recovered"]!.GetValue<bool>(), Is.False);
        var id = connected["id"]!.GetValue<string>();
        await csharp.Io.To("r").EmitAsync("news", 1);
        await TestWait.UntilAsync(() => Events(peer, "c1").Count == 1, "the first event at the client");

        var cut = (await peer.RunAsync(NodePeer.Command("cut", ("name", "c1"))))!;
        var pid = cut["pid"]!.GetValue<string>();
        await TestWait.UntilAsync(() => redis.GetDatabase().KeyExists(key + ":session:" + pid), "the Node.js server saving the session");
        await csharp.Io.To("r").EmitAsync("news", 2);
        await peer.RunAsync(NodePeer.Command("broadcast", ("rooms", new JsonArray("r")), ("event", "news"), ("args", new JsonArray(3))));
        // Node.js appends without being waited for: 3 must be in the stream before 4 is sent
        await observer.Events.WaitAsync("news", e => e.Args[0]!.GetValue<int>() == 3);
        await csharp.Io.To("elsewhere").EmitAsync("news", -1);
        await csharp.Io.EmitAsync("news", 4);

        var back = (await peer.RunAsync(NodePeer.Command("reconnect", ("name", "c1"), ("url", csharp.Url))))!;
        Assert.Multiple(() =>
        {
            Assert.That(back["recovered"]!.GetValue<bool>(), Is.True, "socket.recovered on the C# node");
            Assert.That(back["id"]!.GetValue<string>(), Is.EqualTo(id));
        });
        await TestWait.UntilAsync(() => Events(peer, "c1").Count >= 4, "the missed events");
        Assert.That(Events(peer, "c1").Select(e => JsonNode.Parse(e)![1]!.GetValue<int>()).ToList(), Is.EqualTo(new[] { 1, 2, 3, 4 }), "in order, once");
        var socket = csharp.Io.MainNamespace.Sockets[id];
        Assert.That(socket.Rooms, Does.Contain("r"));
        Assert.That(socket.Data["node"]?.ToString(), Is.EqualTo("node"), "its data came along");
    }

    [Test]
    public async Task AClientCutFromTheCsharpNode_RecoversOnTheNodeServer_WithWhatItMissed()
    {
        var key = RedisTestServer.NewKey();
        await using var csharp = await StreamsTestNode.StartAsync(key, "csharp");
        await using var peer = await PeerAsync(key);
        await using var observer = await csharp.ClientAsync("r", "news");
        await using var first = await RecoveringClient.ConnectAsync(csharp.Url);
        await first.JoinAsync("r");
        csharp.Io.MainNamespace.Sockets[first.Sid].Data["color"] = "green";
        await peer.RunAsync(NodePeer.Command("broadcast", ("rooms", new JsonArray("r")), ("event", "news"), ("args", new JsonArray(1))));
        await first.ReceiveEventAsync("news");

        first.Cut();
        await TestWait.UntilAsync(() => !csharp.Io.MainNamespace.Sockets.ContainsKey(first.Sid), "the C# node seeing the cut");
        await peer.RunAsync(NodePeer.Command("broadcast", ("rooms", new JsonArray("r")), ("event", "news"), ("args", new JsonArray(2))));
        // Node.js appends without being waited for: 2 must be in the stream before 3 is sent
        await observer.Events.WaitAsync("news", e => e.Args[0]!.GetValue<int>() == 2);
        await csharp.Io.To("r").EmitAsync("news", 3);
        await csharp.Io.To("elsewhere").EmitAsync("news", -1);

        await using var back = await RecoveringClient.ConnectAsync(peer.Url, first);
        Assert.Multiple(() =>
        {
            Assert.That(back.Sid, Is.EqualTo(first.Sid), "recovered by Node.js: same socket id");
            Assert.That(back.Replayed.Select(e => e[1]!.GetValue<int>()).ToList(), Is.EqualTo(new[] { 2, 3 }), "in order, once");
        });
        var seen = (JsonArray)(await peer.RunAsync(NodePeer.Command("fetch", ("rooms", new JsonArray("r")))))!;
        var recovered = seen.Single(s => s!["id"]!.GetValue<string>() == first.Sid)!;
        Assert.That(recovered["data"]!["color"]!.GetValue<string>(), Is.EqualTo("green"), "its data came along");
    }

    private static List<string> Events(NodePeer peer, string name) =>
        ((JsonArray)peer.RunAsync(NodePeer.Command("events", ("name", name))).GetAwaiter().GetResult()!).Select(e => e!.ToJsonString()).ToList();
}
