using System.Text.Json.Nodes;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// A C# node and a Node.js socket.io 4.8 node on @socket.io/redis-adapter 8.x share one cluster on a real Redis:
/// broadcasts, fetchSockets and server-side emits cross in both directions, and @socket.io/redis-emitter reaches the
/// C# node's sockets.
/// </summary>
[TestFixture]
public sealed class MixedClusterTests
{
    [Test]
    public async Task Broadcasts_CrossBothWays_WithBinary()
    {
        var key = RedisTestServer.NewKey();
        await using var csharp = await RedisTestNode.StartAsync(key, "csharp");
        await using var peer = await NodePeer.StartAsync(key);
        await using var onCsharp = await csharp.ClientAsync("r", "news");
        await using var onNode = await peer.ClientAsync("r", "news");
        Assert.That((await peer.RunAsync(NodePeer.Command("count")))!.GetValue<int>(), Is.EqualTo(2), "Node.js counts the C# node");
        Assert.That(await csharp.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(2));

        await csharp.Io.To("r").EmitAsync("news", "from C#", new byte[] { 1, 2, 3 }, new JsonObject { ["n"] = 1 });
        var atNode = await onNode.Events.WaitAsync("news");
        Assert.That(atNode.ArgsJson, Does.StartWith("""["from C#","""));
        Assert.That(atNode.Attachments.Single(), Is.EqualTo(new byte[] { 1, 2, 3 }));

        await peer.RunAsync(NodePeer.Command("broadcast", ("rooms", new JsonArray("r")), ("event", "news"),
            ("args", new JsonArray("from Node", new JsonObject { ["$binary"] = Convert.ToBase64String([4, 5]) }))));
        var atCsharp = await onCsharp.Events.WaitAsync("news", e => e.Args[0]!.GetValue<string>() == "from Node");
        Assert.That(atCsharp.Attachments.Single(), Is.EqualTo(new byte[] { 4, 5 }));
    }

    [Test]
    public async Task FetchSockets_CrossesBothWays()
    {
        var key = RedisTestServer.NewKey();
        await using var csharp = await RedisTestNode.StartAsync(key, "csharp");
        await using var peer = await NodePeer.StartAsync(key);
        await using var onCsharp = await csharp.ClientAsync("r");
        await using var onNode = await peer.ClientAsync("r");

        var seenByCsharp = await csharp.Io.In("r").FetchSocketsAsync();
        Assert.That(seenByCsharp.Select(s => s.Id), Is.EquivalentTo(new[] { onCsharp.Id, onNode.Id }));
        var nodeSocket = seenByCsharp.Single(s => s.Id == onNode.Id);
        Assert.Multiple(() =>
        {
            Assert.That(nodeSocket.Rooms, Is.EquivalentTo(new[] { onNode.Id, "r" }));
            Assert.That(nodeSocket.Data["node"]?.ToString(), Is.EqualTo("node"));
            Assert.That(nodeSocket.Handshake.Query["EIO"], Is.EqualTo("4"));
        });

        var seenByNode = (await peer.RunAsync(NodePeer.Command("fetch", ("rooms", new JsonArray("r")))))!.AsArray();
        var csharpSocket = seenByNode.Single(s => s!["id"]!.GetValue<string>() == onCsharp.Id)!;
        Assert.Multiple(() =>
        {
            Assert.That(seenByNode, Has.Count.EqualTo(2));
            Assert.That(csharpSocket["rooms"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EquivalentTo(new[] { onCsharp.Id, "r" }));
            Assert.That(csharpSocket["data"]!["node"]!.GetValue<string>(), Is.EqualTo("csharp"));
            Assert.That(csharpSocket["eio"]!.GetValue<string>(), Is.EqualTo("4"));
        });
    }

    [Test]
    public async Task TheRedisEmitter_ReachesTheCsharpNode()
    {
        var key = RedisTestServer.NewKey();
        await using var csharp = await RedisTestNode.StartAsync(key, "csharp");
        await using var peer = await NodePeer.StartAsync(key);
        await using var inRoom = await csharp.ClientAsync("r", "from-emitter");
        await using var elsewhere = await csharp.ClientAsync("other", "from-emitter");

        await peer.RunAsync(NodePeer.Command("emitter", ("rooms", new JsonArray("r")), ("event", "from-emitter"), ("args", new JsonArray(1, "two"))));
        Assert.That((await inRoom.Events.WaitAsync("from-emitter")).ArgsJson, Is.EqualTo("""[1,"two"]"""));
        await peer.RunAsync(NodePeer.Command("emitter", ("event", "from-emitter"), ("args", new JsonArray("all"))));
        await elsewhere.Events.WaitAsync("from-emitter");
        Assert.That(elsewhere.Events.Named("from-emitter").Select(e => e.ArgsJson), Is.EqualTo(new[] { """["all"]""" }), "the room broadcast stayed in its room");
    }

    [Test]
    public async Task ServerSideEmit_CrossesBothWays_WithAcks()
    {
        var key = RedisTestServer.NewKey();
        await using var csharp = await RedisTestNode.StartAsync(key, "csharp");
        await using var peer = await NodePeer.StartAsync(key);

        var fromNode = await csharp.Io.MainNamespace.ServerSideEmitWithAckAsync("ping-nodes", TimeSpan.FromSeconds(5), 42);
        Assert.That(fromNode.Single()[0]!.ToJsonString(), Is.EqualTo("""{"from":"node","got":42}"""));

        var fromCsharp = (await peer.RunAsync(NodePeer.Command("server-side-emit", ("event", "ping-nodes"), ("args", new JsonArray(7)))))!.AsArray();
        Assert.That(fromCsharp.Single()!.ToJsonString(), Is.EqualTo("""{"from":"csharp","got":7}"""));
    }
}
