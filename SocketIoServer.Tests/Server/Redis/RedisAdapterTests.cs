using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Server;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// The pub/sub adapter's own details (what every cluster adapter does is in <see cref="ClusterAdapterContractTests"/>):
/// the flags it writes on Redis, what it does with malformed messages on its channels, and the Redis URLs it takes.
/// </summary>
[TestFixture]
public sealed class RedisAdapterTests
{
    private static Task<RedisTestNode> StartNodeAsync(string key, string name = "node", TimeSpan? requestsTimeout = null) =>
        RedisTestNode.StartAsync(key, name, requestsTimeout);

    private static Task<TestClient> ClientAsync(RedisTestNode node, string room, params string[] record) => node.ClientAsync(room, record);

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
    public async Task MalformedMessagesOnItsChannels_AreIgnored_AndTheNodeGoesOn()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key, "a");
        await using var b = await StartNodeAsync(key, "b");
        await using var onB = await ClientAsync(b, "r", "news");
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(RedisTestServer.Url));
        var publisher = redis.GetSubscriber();
        byte[][] notMessages =
        [
            [0xc1], // a byte MessagePack never uses
            "not msgpack, not json"u8.ToArray(),
            [0x92, 0x01, 0x02], // an array of the wrong shape
            [0x93, 0xa1], // cut short
            [],
        ];
        string[] notRequests =
        [
            "{not json", "[]", """{"type":"x"}""", """{"type":3,"requestId":5}""", """{"type":0,"rooms":7}""",
            """{"type":2,"opts":"all","rooms":[1]}""", """{"type":7,"opts":{"rooms":{}}}""", """{"type":6,"data":"event"}""", """{"type":5,"requestId":"r1","opts":{"rooms":"r"}}""",
        ];
        foreach (var bytes in notMessages)
        {
            await publisher.PublishAsync(StackExchange.Redis.RedisChannel.Literal(key + "#/#"), bytes);
            await publisher.PublishAsync(StackExchange.Redis.RedisChannel.Literal(key + "#/#r#"), bytes);
            await publisher.PublishAsync(StackExchange.Redis.RedisChannel.Literal(key + "-request#/#"), bytes);
        }
        foreach (var text in notRequests)
        {
            await publisher.PublishAsync(StackExchange.Redis.RedisChannel.Literal(key + "-request#/#"), text);
            await publisher.PublishAsync(StackExchange.Redis.RedisChannel.Literal(key + "-response#/#"), text);
        }

        // both nodes still deliver, answer requests and count each other
        await a.Io.To("r").EmitAsync("news", "after the noise");
        Assert.That((await onB.Events.WaitAsync("news")).ArgsJson, Is.EqualTo("""["after the noise"]"""));
        Assert.That((await a.Io.FetchSocketsAsync()).Select(s => s.Id), Is.EqualTo(new[] { onB.Id }));
        Assert.That(await b.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(2));
        Assert.That(onB.Events.Count("news"), Is.EqualTo(1), "the noise delivered nothing");
    }

    [TestCase("redis://localhost", "localhost:6379")]
    [TestCase("redis://:secret@cache:6380/2", "cache:6380,password=secret,defaultDatabase=2")]
    [TestCase("rediss://user:pw@cache", "cache:6379,user=user,password=pw,ssl=true")]
    [TestCase("cache:6379,password=x", "cache:6379,password=x")]
    public void RedisUrls_BecomeConfigurationStrings(string url, string expected) =>
        Assert.That(RedisAdapterFactory.ToConfiguration(url), Is.EqualTo(expected));
}
