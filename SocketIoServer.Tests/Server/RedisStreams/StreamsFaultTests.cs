using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Server.Redis;

namespace SocketIoServer.Tests.Server.RedisStreams;

/// <summary>Redis restarted mid-run under nodes on the streams adapter: the reading loops reconnect and broadcasts resume.</summary>
[TestFixture]
public sealed class StreamsFaultTests
{
    [Test]
    public async Task AfterARedisRestart_BroadcastsResume_WithoutRestartingTheNodes()
    {
        await using var redis = new PrivateRedis();
        await redis.StartAsync();
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key, "a", redisUrl: redis.Url);
        await using var b = await StreamsTestNode.StartAsync(key, "b", redisUrl: redis.Url);
        await using var onA = await a.ClientAsync("r", "news");
        await using var onB = await b.ClientAsync("r", "news");
        await a.Io.To("r").EmitAsync("news", "before");
        await onB.Events.WaitAsync("news", e => e.Args[0]!.ToString() == "before");

        await redis.StopAsync();
        // meanwhile each node still serves its own sockets (without an offset: nothing was stored)
        await a.Io.To("r").EmitAsync("news", "during");
        await onA.Events.WaitAsync("news", e => e.Args[0]!.ToString() == "during");

        await redis.StartAsync();
        // the connections and the reading loop come back on their own; keep broadcasting until one crosses
        await TestWait.UntilAsync(() =>
        {
            _ = a.Io.To("r").EmitAsync("news", "after").ContinueWith(_ => { }, TaskScheduler.Default);
            return onB.Events.Named("news").Any(e => e.Args[0]!.ToString() == "after");
        }, "a broadcast crossing nodes after the restart", TimeSpan.FromSeconds(30));
        Assert.That(a.Log.Has(Microsoft.Extensions.Logging.LogLevel.Warning, "Reading the stream"), Is.True, "the failed reads were logged");
    }

    [Test]
    public async Task TheReadingLoop_HasAConnectionOfItsOwn_AndStopsOnDispose()
    {
        await using var redis = new PrivateRedis();
        await redis.StartAsync();
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(
            SocketIoServer.Server.Adapters.Redis.RedisAdapterFactory.ToConfiguration(redis.Url) + ",allowAdmin=true");
        int Readers() => admin.GetServers()[0].ClientList().Count(c => c.Name == "socket.io-streams-reader");

        var node = await StreamsTestNode.StartAsync(RedisTestServer.NewKey(), "a", redisUrl: redis.Url);
        await TestWait.UntilAsync(() => Readers() == 1, "the reader's own connection");
        await node.DisposeAsync();
        await TestWait.UntilAsync(() => Readers() == 0, "the reader's connection closed");
    }
}
