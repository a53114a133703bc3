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

    [TestCase("http://localhost:6379")]
    [TestCase("localhost")]
    public void ABadRedisUrl_IsRefusedByName(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => FixtureOptions.Parse(["--redis", url]));
        Assert.That(error!.Message, Is.EqualTo($"--redis: '{url}' is not a redis:// URL"));
    }
}
