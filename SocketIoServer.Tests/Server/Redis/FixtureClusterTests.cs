using SocketIoServer.Fixture;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>The protocol fixture's <c>--redis URL</c> (CONTRACTS.md section 2): two fixtures form one cluster.</summary>
[TestFixture]
public sealed class FixtureClusterTests
{
    [Test]
    public async Task TwoFixturesOnOneRedis_ShareRoomBroadcasts()
    {
        await using var first = await FixtureServer.StartAsync(30_000, 20_000, "--redis", RedisTestServer.Url);
        await using var second = await FixtureServer.StartAsync(30_000, 20_000, "--redis", RedisTestServer.Url);
        await using var listener = await TestClient.ConnectAsync(first.Url, ClientTransport.WebSocket, "/", null, "room-broadcast");
        await using var sender = await TestClient.ConnectAsync(second.Url, ClientTransport.WebSocket);
        var room = "room-" + Guid.NewGuid().ToString("N");
        await listener.EmitWithAckAsync("join-room", room);

        await sender.EmitAsync("room-broadcast", room, "hello", 1);
        Assert.That((await listener.Events.WaitAsync("room-broadcast")).ArgsJson, Is.EqualTo("""["hello",1]"""));
    }

    [Test]
    public async Task FixturesWithDifferentRedisKeys_AreTwoClustersOnOneRedis()
    {
        var key = "cluster-" + Guid.NewGuid().ToString("N");
        await using var first = await FixtureServer.StartAsync(30_000, 20_000, "--redis", RedisTestServer.Url, "--redis-key", key);
        await using var second = await FixtureServer.StartAsync(30_000, 20_000, "--redis", RedisTestServer.Url, "--redis-key", key);
        await using var stranger = await FixtureServer.StartAsync(30_000, 20_000, "--redis", RedisTestServer.Url);
        await using var listener = await TestClient.ConnectAsync(first.Url, ClientTransport.WebSocket, "/", null, "room-broadcast");
        await using var strangerListener = await TestClient.ConnectAsync(stranger.Url, ClientTransport.WebSocket, "/", null, "room-broadcast");
        await using var sender = await TestClient.ConnectAsync(second.Url, ClientTransport.WebSocket);
        await using var strangerSender = await TestClient.ConnectAsync(stranger.Url, ClientTransport.WebSocket);
        var room = "room-" + Guid.NewGuid().ToString("N");
        await listener.EmitWithAckAsync("join-room", room);
        await strangerListener.EmitWithAckAsync("join-room", room);

        await sender.EmitAsync("room-broadcast", room, "same cluster");
        Assert.That((await listener.Events.WaitAsync("room-broadcast")).ArgsJson, Is.EqualTo("""["same cluster"]"""));
        // The other cluster's node would have heard the first broadcast by now; the first it hears is its own.
        await strangerSender.EmitAsync("room-broadcast", room, "other cluster");
        Assert.That((await strangerListener.Events.WaitAsync("room-broadcast")).ArgsJson, Is.EqualTo("""["other cluster"]"""));
    }

    [TestCase("")]
    [TestCase("two words")]
    public void ABadRedisKey_IsRefusedByName(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => FixtureOptions.Parse(["--redis", "redis://localhost", "--redis-key", key]));
        Assert.That(error!.Message, Does.StartWith($"--redis-key: '{key}' is not a key"));
    }

    [Test]
    public void ARedisKeyWithoutACluster_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => FixtureOptions.Parse(["--redis-key", "mine"]));
        Assert.That(error!.Message, Is.EqualTo("--redis-key names a cluster: it needs --redis or --redis-streams"));
    }

    [TestCase("http://localhost:6379")]
    [TestCase("localhost")]
    public void ABadRedisUrl_IsRefusedByName(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => FixtureOptions.Parse(["--redis", url]));
        Assert.That(error!.Message, Is.EqualTo($"--redis: '{url}' is not a redis:// URL"));
    }
}
