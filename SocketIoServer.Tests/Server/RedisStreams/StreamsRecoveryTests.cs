using SocketIoServer.Tests.Support;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Server.Redis;
using StackExchange.Redis;

namespace SocketIoServer.Tests.Server.RedisStreams;

/// <summary>
/// Connection state recovery across C# nodes on the streams adapter: a client cut from node A and reconnecting to
/// node B gets its socket back (id, rooms, data) and every event it missed, in order, once; bad pids, offsets and
/// stream entries are refused without harm.
/// </summary>
[TestFixture]
public sealed class StreamsRecoveryTests
{
    private static async Task CutAsync(StreamsTestNode node, RecoveringClient client)
    {
        client.Cut();
        await TestWait.UntilAsync(() => !node.Io.MainNamespace.Sockets.ContainsKey(client.Sid), "the node seeing the cut");
    }

    [Test]
    public async Task ACutClient_RecoversOnAnotherNode_WithRoomsDataAndEveryMissedEvent_InOrderOnce()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        await using var b = await StreamsTestNode.StartAsync(key, "b");
        await using var first = await RecoveringClient.ConnectAsync(a.Url);
        Assert.That(first.Pid, Is.Not.Null.And.Not.Empty, "the CONNECT reply carries a pid");
        await first.JoinAsync("room-a");
        a.Io.MainNamespace.Sockets[first.Sid].Data["color"] = "blue";

        await b.Io.EmitAsync("news", 0);
        var seen = await first.ReceiveEventAsync();
        Assert.That(seen.Count, Is.EqualTo(3), "event name, argument, offset: " + seen.ToJsonString());

        await CutAsync(a, first);
        await b.Io.EmitAsync("news", 1);
        await a.Io.To("room-a").EmitAsync("room", 2);
        await b.Io.To(first.Sid).EmitAsync("direct", 3);
        await b.Io.To("room-b").EmitAsync("not-for-me", 4);
        await a.Io.Except("room-a").EmitAsync("not-for-me", 5);
        await b.Io.Volatile.EmitAsync("not-stored", 6);
        await a.Io.EmitAsync("news", 7);

        await using var back = await RecoveringClient.ConnectAsync(b.Url, first);
        Assert.Multiple(() =>
        {
            Assert.That(back.Sid, Is.EqualTo(first.Sid), "same socket id");
            Assert.That(back.Replayed.Select(e => e[0]!.GetValue<string>() + e[1]), Is.EqualTo(new[] { "news1", "room2", "direct3", "news7" }),
                "missed events, in order, once, before the CONNECT reply");
            Assert.That(back.Replayed.Select(e => e.Count), Is.All.EqualTo(3), "each with its offset");
        });
        var socket = b.Io.MainNamespace.Sockets[back.Sid];
        Assert.Multiple(() =>
        {
            Assert.That(socket.Recovered, Is.True);
            Assert.That(socket.Rooms, Is.SupersetOf(new[] { "room-a", back.Sid }));
            Assert.That(socket.Data["color"]?.ToString(), Is.EqualTo("blue"));
        });

        // live again: the next event comes once, and the pid was good once
        await a.Io.To("room-a").EmitAsync("room", 8);
        var next = await back.ReceiveEventAsync();
        Assert.That(next[0]!.GetValue<string>() + next[1], Is.EqualTo("room8"));
        await using var again = await RecoveringClient.ConnectAsync(a.Url, first);
        Assert.That(again.Sid, Is.Not.EqualTo(first.Sid), "a saved session is taken once: asking again gives a fresh session");
    }

    [Test]
    public async Task EventsBroadcastWhileARecoveryRuns_AreNeitherLostNorDoubled()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        await using var b = await StreamsTestNode.StartAsync(key, "b");
        await using var first = await RecoveringClient.ConnectAsync(a.Url);
        await a.Io.EmitAsync("n", -1);
        await first.ReceiveEventAsync();
        await CutAsync(a, first);

        // a steady flow from node A while the client comes back on node B
        using var stop = new CancellationTokenSource();
        var sent = 0;
        var flow = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && sent < 400)
            {
                await a.Io.EmitAsync("n", sent);
                sent++;
                await Task.Delay(2);
            }
        });
        await Task.Delay(100);
        await using var back = await RecoveringClient.ConnectAsync(b.Url, first);
        await Task.Delay(200);
        await stop.CancelAsync();
        await flow;
        var received = back.Replayed.Select(e => e[1]!.GetValue<int>()).ToList();
        while (received.Count == 0 || received[^1] < sent - 1) received.Add((await back.ReceiveEventAsync())[1]!.GetValue<int>());
        Assert.That(received, Is.EqualTo(Enumerable.Range(0, sent).ToList()), "every event, in order, once");
    }

    [Test]
    public async Task ALiveSocketsSession_IsSavedWhileConnected_AndGoesWhenItLeavesForGood()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(RedisTestServer.Url));
        var db = redis.GetDatabase();
        await using var client = await RecoveringClient.ConnectAsync(a.Url);
        var sessionKey = key + ":session:" + client.Pid;
        await TestWait.UntilAsync(() => db.KeyExists(sessionKey), "the live socket's session saved");
        Assert.That(db.KeyTimeToLive(sessionKey), Is.GreaterThan(TimeSpan.FromMinutes(1)), "kept as long as a disconnected session");

        await client.Ws.SendTextAsync("41"); // the client leaves the namespace: not recoverable
        await TestWait.UntilAsync(() => !db.KeyExists(sessionKey), "the saved session removed");
    }

    [Test]
    public async Task AnUnknownPidOrABadOffset_GivesAFreshSession()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        await using var b = await StreamsTestNode.StartAsync(key, "b");
        await using var first = await RecoveringClient.ConnectAsync(a.Url);
        await a.Io.EmitAsync("news", 1);
        await first.ReceiveEventAsync();
        await CutAsync(a, first);

        var ws = await Support.RawWebSocket.ConnectAsync(b.Url.Replace("http", "ws", StringComparison.Ordinal) + "/socket.io/?EIO=4&transport=websocket");
        await ws.ReceiveTextSkippingPingsAsync();
        foreach (var auth in new[]
        {
            """{"pid":"no-such-pid","offset":"1-0"}""",
            $$"""{"pid":"{{first.Pid}}","offset":"not-an-offset"}""",
            $$"""{"pid":"{{first.Pid}}","offset":"1-0"}""", // an offset the stream never had: the session is spent, and not given
        })
        {
            await ws.SendTextAsync("40" + auth);
            var reply = await ws.ReceiveTextSkippingPingsAsync();
            Assert.That(reply, Does.StartWith("40{"), auth);
            var sid = JsonNode.Parse(reply![2..])!["sid"]!.GetValue<string>();
            Assert.That(sid, Is.Not.EqualTo(first.Sid), auth + " is not recovered");
            await ws.SendTextAsync("41");
        }
        await ws.DisposeAsync();
        Assert.That(b.Log.Has(LogLevel.Debug, "not recovered"), Is.True);
    }

    [Test]
    public async Task MalformedStreamEntries_AreLoggedAndSkipped_AndTheLoopGoesOn()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        await using var onA = await a.ClientAsync("r", "news");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(RedisTestServer.Url));
        var db = redis.GetDatabase();
        NameValueEntry[] Entry(string type, string data, string nsp = "/") => [new("uid", "intruder"), new("nsp", nsp), new("type", type), new("data", data)];
        await db.StreamAddAsync(key, Entry("3", "not json, not base64 msgpack!"));
        await db.StreamAddAsync(key, Entry("3", Convert.ToBase64String([0x93, 0x01])));          // truncated msgpack
        await db.StreamAddAsync(key, Entry("3", """{"packet":{"type":2,"data":[]},"opts":{}}"""));   // no event name
        await db.StreamAddAsync(key, Entry("99", """{"x":1}"""));                                     // unknown type
        await db.StreamAddAsync(key, Entry("three", """{"x":1}"""));                                  // type not a number
        await db.StreamAddAsync(key, Entry("3", """{"packet":{"type":2,"data":["news","elsewhere"]},"opts":{"rooms":[],"except":[]}}""", "/nowhere"));
        await db.StreamAddAsync(key, [new NameValueEntry("garbage", "only")]);                       // no namespace at all
        await db.StreamAddAsync(key, Entry("3", """{"packet":{"type":2,"data":["news","from node"]},"opts":{"rooms":["r"],"except":[]}}"""));

        var received = await onA.Events.WaitAsync("news");
        Assert.That(received.Args[0]!.ToString(), Is.EqualTo("from node"), "the good entry after the bad ones got through, and only it");
        await a.Io.To("r").EmitAsync("news", "after");
        await onA.Events.WaitAsync("news", e => e.Args[0]!.ToString() == "after");
        Assert.Multiple(() =>
        {
            Assert.That(onA.Events.Count("news"), Is.EqualTo(2));
            Assert.That(a.Log.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("malformed", StringComparison.Ordinal)), Is.EqualTo(4),
                "garbage, truncated, no event name, type not a number: " + string.Join("\n", a.Log.Entries));
            Assert.That(a.Log.Has(LogLevel.Warning, "unknown type 99"), Is.True);
            Assert.That(a.Log.Has(LogLevel.Debug, "/nowhere"), Is.True);
        });
    }

    [Test]
    public async Task MalformedPubSubMessages_AreLoggedAndSkipped_AndRequestsStillWork()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a");
        await using var b = await StreamsTestNode.StartAsync(key, "b");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(RedisTestServer.Url));
        var publicChannel = RedisChannel.Literal(key + "#/#");
        await redis.GetSubscriber().PublishAsync(publicChannel, "not msgpack at all"u8.ToArray());
        await redis.GetSubscriber().PublishAsync(publicChannel, new byte[] { 0xdf, 0xff, 0xff, 0xff, 0xff }); // a map that claims 4 billion entries
        // {uid, nsp: "/", type: 42, data: {}}: a type no node knows
        await redis.GetSubscriber().PublishAsync(publicChannel, Convert.FromHexString("84A3756964A178A36E7370A12FA474797065" + "2A" + "A464617461" + "80"));

        var answers = await a.Io.MainNamespace.ServerSideEmitWithAckAsync("ping-nodes", TimeSpan.FromSeconds(5), 1);
        Assert.That(answers.Single()[0]!["from"]!.GetValue<string>(), Is.EqualTo("b"));
        await TestWait.UntilAsync(() => b.Log.Entries.Count(e => e.Message.Contains("malformed", StringComparison.Ordinal)) >= 2
            && b.Log.Has(LogLevel.Warning, "unknown type 42"), "the bad messages logged");
    }

    [Test]
    public void BadOptions_AreRefusedByName()
    {
        var error = Assert.ThrowsAsync<ArgumentException>(() => SocketIoServer.Server.Adapters.RedisStreams.RedisStreamsAdapterFactory.ConnectAsync(
            RedisTestServer.Url, new SocketIoServer.Server.Adapters.RedisStreams.RedisStreamsAdapterOptions { ReadCount = 0 }));
        Assert.That(error!.Message, Does.Contain("ReadCount"));
        error = Assert.ThrowsAsync<ArgumentException>(() => SocketIoServer.Server.Adapters.RedisStreams.RedisStreamsAdapterFactory.ConnectAsync(
            RedisTestServer.Url, new SocketIoServer.Server.Adapters.RedisStreams.RedisStreamsAdapterOptions { StreamName = "" }));
        Assert.That(error!.Message, Does.Contain("StreamName"));
    }
}
