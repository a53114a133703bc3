using SocketIoServer.Tests.Support;
using System.Text;
using SocketIoServer.Fixture;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Server.Redis;
using StackExchange.Redis;

namespace SocketIoServer.Tests.Server.RedisStreams;

/// <summary>
/// Three fixture processes with <c>--redis-streams URL --recovery</c> on a Redis of the test's own: a node is killed
/// (SIGKILL) and its client recovers on another node with every event broadcast while it was away, in order, once.
/// </summary>
[TestFixture]
public sealed class StreamsFixtureClusterTests
{
    [Test]
    public async Task ANodeKilled_ItsClientRecoversOnAnotherNode_WithTheEventsItMissed()
    {
        await using var redis = new PrivateRedis();
        await redis.StartAsync();
        var nodes = await FixtureProcess.StartRecoveringClusterAsync(3, redis.Url);
        await using var first = nodes[0];
        await using var second = nodes[1];
        await using var third = nodes[2];
        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(redis.Url));
        var db = connection.GetDatabase();

        await using var client = await RecoveringClient.ConnectAsync(first.Url);
        await client.JoinAsync("room-x", "join-room");
        await using var sender = await RecoveringClient.ConnectAsync(third.Url);
        await sender.Ws.SendTextAsync("""42["room-broadcast","room-x","before"]""");
        var before = await client.ReceiveEventAsync("room-broadcast");
        Assert.That(before[1]!.GetValue<string>(), Is.EqualTo("before"));
        // the node saves its live sockets' sessions every second: wait for the one with the room
        await TestWait.UntilAsync(() =>
        {
            var saved = db.StringGet("sio:session:" + client.Pid);
            return !saved.IsNullOrEmpty && Encoding.UTF8.GetString(Convert.FromBase64String(saved!)).Contains("room-x", StringComparison.Ordinal);
        }, "the session saved while connected");

        await first.KillAsync();
        for (var i = 1; i <= 5; i++) await sender.Ws.SendTextAsync($$"""42["room-broadcast","room-x","missed {{i}}"]""");
        await sender.Ws.SendTextAsync("""42["broadcast","to everyone"]""");
        // the last one was stored: the sender itself gets it
        await sender.ReceiveEventAsync("broadcast");

        await using var back = await RecoveringClient.ConnectAsync(second.Url, client);
        Assert.Multiple(() =>
        {
            Assert.That(back.Sid, Is.EqualTo(client.Sid), "recovered: same socket id");
            Assert.That(back.Replayed.Select(e => e[1]!.GetValue<string>()),
                Is.EqualTo(new[] { "missed 1", "missed 2", "missed 3", "missed 4", "missed 5", "to everyone" }), "in order, once");
        });
        // still in its room, live
        await sender.Ws.SendTextAsync("""42["room-broadcast","room-x","after"]""");
        Assert.That((await back.ReceiveEventAsync("room-broadcast"))[1]!.GetValue<string>(), Is.EqualTo("after"));

        // a pid that is unknown gives a fresh session, and the node goes on
        await using var stranger = await RecoveringClient.ConnectAsync(third.Url, "unknown-pid", client.Offset);
        Assert.That(stranger.Sid, Is.Not.EqualTo(client.Sid));
        Assert.That(stranger.Replayed, Is.Empty);
    }

    [Test]
    public async Task TwoFixturesOnTheStreams_ShareRoomBroadcasts()
    {
        await using var redis = new PrivateRedis();
        await redis.StartAsync();
        await using var one = await FixtureProcess.StartAsync("--redis-streams", redis.Url);
        await using var two = await FixtureProcess.StartAsync("--redis-streams", redis.Url);
        await using var listener = await TestClient.ConnectAsync(one.Url, ClientTransport.WebSocket, "/", null, "room-broadcast");
        await using var speaker = await TestClient.ConnectAsync(two.Url, ClientTransport.WebSocket);
        await listener.EmitWithAckAsync("join-room", "r");
        await speaker.EmitAsync("room-broadcast", "r", "hello", 1);
        Assert.That((await listener.Events.WaitAsync("room-broadcast")).ArgsJson, Is.EqualTo("""["hello",1]"""), "no offset without --recovery");
    }

    [Test]
    public async Task TheRedisKey_NamesTheStream()
    {
        await using var redis = new PrivateRedis();
        await redis.StartAsync();
        await using var one = await FixtureProcess.StartAsync("--redis-streams", redis.Url, "--redis-key", "blue");
        await using var two = await FixtureProcess.StartAsync("--redis-streams", redis.Url, "--redis-key", "blue");
        await using var listener = await TestClient.ConnectAsync(one.Url, ClientTransport.WebSocket, "/", null, "room-broadcast");
        await using var speaker = await TestClient.ConnectAsync(two.Url, ClientTransport.WebSocket);
        await listener.EmitWithAckAsync("join-room", "r");
        await speaker.EmitAsync("room-broadcast", "r", "hello");
        Assert.That((await listener.Events.WaitAsync("room-broadcast")).ArgsJson, Is.EqualTo("""["hello"]"""));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(redis.Url));
        Assert.That(await connection.GetDatabase().KeyTypeAsync("blue"), Is.EqualTo(RedisType.Stream), "the stream is named by --redis-key");
        Assert.That(await connection.GetDatabase().KeyExistsAsync("socket.io"), Is.False);
    }

    [TestCase("http://localhost:6379")]
    [TestCase("localhost")]
    public void ABadRedisStreamsUrl_IsRefusedByName(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => FixtureOptions.Parse(["--redis-streams", url]));
        Assert.That(error!.Message, Is.EqualTo($"--redis-streams: '{url}' is not a redis:// URL"));
    }
}
