using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIoServer.Chat.Cluster.Redis;
using StackExchange.Redis;

namespace SocketIoServer.Tests.Chat.Cluster;

/// <summary>
/// What only the Redis stores do: state shared by two "nodes" (two store objects on one key prefix), seed 001's keys
/// and TTLs, and presence across nodes (a user online while any live node holds a socket of theirs, each transition
/// announced once, a dead node's sockets swept, a lost registration written again).
/// </summary>
[TestFixture]
public sealed class RedisChatStateTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private readonly ChatStateKit _kit = new();
    private ClusterClock _clock = null!;
    private ChatRedis _redis = null!;
    private readonly List<RedisPresence> _nodes = [];
    private readonly List<(string User, bool Online)> _reports = [];

    private IDatabase Db => _kit.Connection.GetDatabase();

    [SetUp]
    public void SetUp()
    {
        _clock = new ClusterClock();
        _redis = _kit.NewRedis();
        lock (_reports) _reports.Clear();
    }

    [TearDown]
    public async Task TearDownNodes()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        _nodes.Clear();
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _kit.DisposeAsync();

    [Test]
    public async Task RateLimits_AreShared_ByTheLimitersOfTwoNodes()
    {
        var nodeA = new RedisRateLimiterFactory(_redis, _clock).SlidingWindow("famly", 2, 1000 * Ms);
        var nodeB = new RedisRateLimiterFactory(_redis, _clock).SlidingWindow("famly", 2, 1000 * Ms);
        Assert.That(await nodeA.TryAcquireAsync("u", default), Is.True);
        Assert.That(await nodeB.TryAcquireAsync("u", default), Is.True);
        Assert.That(await nodeA.TryAcquireAsync("u", default), Is.False, "the two nodes' sends count against one limit");
        Assert.That(await nodeB.TryAcquireAsync("u", default), Is.False);
        Assert.That(await new RedisRateLimiterFactory(_redis, _clock).SlidingWindow("deedo", 2, 1000 * Ms).TryAcquireAsync("u", default), Is.True,
            "another vocabulary's limit is its own");
        var bucketA = new RedisRateLimiterFactory(_redis, _clock).TokenBucket("whatsapp", 2, 1000 * Ms);
        var bucketB = new RedisRateLimiterFactory(_redis, _clock).TokenBucket("whatsapp", 2, 1000 * Ms);
        Assert.That(await bucketA.TryAcquireAsync("u", default), Is.True);
        Assert.That(await bucketB.TryAcquireAsync("u", default), Is.True);
        Assert.That(await bucketA.TryAcquireAsync("u", default), Is.False, "one bucket for both nodes");
    }

    [Test]
    public async Task Typing_IsSeed001sKey_WithItsTtl()
    {
        await new RedisTypingStore(_redis, TimeSpan.FromSeconds(5)).StartedAsync("room-1", "alice", default);
        Assert.That((await Db.SetMembersAsync(_redis.Key("typing:room-1"))).Select(v => v.ToString()), Is.EqualTo(new[] { "alice" }));
        var ttl = await Db.KeyTimeToLiveAsync(_redis.Key("typing:room-1"));
        Assert.That(ttl, Is.Not.Null.And.GreaterThan(TimeSpan.FromSeconds(3)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(5)));
        await new RedisTypingStore(_redis, TimeSpan.FromSeconds(5)).StoppedAsync("room-1", "alice", default);
        Assert.That(await Db.SetMembersAsync(_redis.Key("typing:room-1")), Is.Empty);
    }

    private async Task<RedisPresence> StartNodeAsync(TimeSpan? nodeTtl = null)
    {
        var node = new RedisPresence(_redis, new RedisPresence.Options(2000 * Ms, nodeTtl ?? TimeSpan.FromSeconds(30)), _clock,
            NullLogger<RedisPresence>.Instance);
        node.Changed += (user, online, _) =>
        {
            lock (_reports) _reports.Add((user, online));
        };
        _nodes.Add(node);
        await node.StartAsync(default);
        return node;
    }

    private (string, bool)[] Reports()
    {
        lock (_reports) return [.. _reports];
    }

    private async Task ReportsAsync(params (string, bool)[] expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Reports().SequenceEqual(expected))
        {
            if (DateTime.UtcNow > deadline) Assert.That(Reports(), Is.EqualTo(expected), "the announcements");
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task Presence_DevicesOnTwoNodes_OnlineUntilBothLeave_EachTransitionAnnouncedOnce()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        await a.ConnectedAsync("u", "phone", default);
        await b.ConnectedAsync("u", "laptop", default);
        Assert.That(Reports(), Is.EqualTo(new[] { ("u", true) }), "online once, by the first node");
        Assert.That(await b.IsOnlineAsync("u", default), Is.True);
        Assert.That(await b.OnlineUserIdsAsync(default), Is.EqualTo(new[] { "u" }));

        _clock.Advance(3000 * Ms);
        await a.DisconnectedAsync("u", "phone", default);
        Assert.That(await a.IsOnlineAsync("u", default), Is.True, "the laptop on the other node keeps the user online");
        Assert.That(Reports(), Is.EqualTo(new[] { ("u", true) }), "no offline while a device is left");

        await b.DisconnectedAsync("u", "laptop", default);
        Assert.That(await a.IsOnlineAsync("u", default), Is.False);
        Assert.That(await a.OnlineUserIdsAsync(default), Is.Empty);
        Assert.That(Reports(), Is.EqualTo(new[] { ("u", true), ("u", false) }), "offline once");
    }

    [Test]
    public async Task Presence_WritesSeed001sKeys_WithTheirTtl()
    {
        var a = await StartNodeAsync();
        await a.ConnectedAsync("u", "phone", default);
        var presence = await Db.StringGetAsync(_redis.Key("presence:u"));
        var json = JsonNode.Parse(presence.ToString())!.AsObject();
        Assert.That(json.Select(p => p.Key), Is.EqualTo(new[] { "status", "lastSeen" }));
        Assert.That(json["status"]!.GetValue<string>(), Is.EqualTo("online"));
        Assert.That(DateTimeOffset.Parse(json["lastSeen"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(_clock.GetUtcNow()));
        Assert.That(await Db.KeyTimeToLiveAsync(_redis.Key("presence:u")), Is.GreaterThan(TimeSpan.FromSeconds(290)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(300)));
        Assert.That(await Db.SetContainsAsync(_redis.Key("online_users"), "u"), Is.True);

        await Db.KeyExpireAsync(_redis.Key("presence:u"), TimeSpan.FromSeconds(10));
        await a.TouchAsync("u", default);
        Assert.That(await Db.KeyTimeToLiveAsync(_redis.Key("presence:u")), Is.GreaterThan(TimeSpan.FromSeconds(290)), "activity refreshes it (EXPIRE 300)");

        await a.DisconnectedAsync("u", "phone", default);
        Assert.That(await Db.KeyExistsAsync(_redis.Key("presence:u")), Is.False, "seed 001's setUserOffline deletes it");
        Assert.That(await Db.SetContainsAsync(_redis.Key("online_users"), "u"), Is.False);
    }

    [Test]
    public async Task Presence_TheThrottleHoldsAcrossNodes_AndTheLastWordIsTheTruth()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        await a.ConnectedAsync("u", "s1", default);
        _clock.Advance(500 * Ms);
        await a.DisconnectedAsync("u", "s1", default);   // inside the quiet period: waits
        await b.ConnectedAsync("u", "s2", default);      // back on another node before it ends
        _clock.Advance(1500 * Ms);
        await Task.Delay(300);
        Assert.That(Reports(), Is.EqualTo(new[] { ("u", true) }), "the blip is never announced");

        _clock.Advance(1000 * Ms);
        await b.DisconnectedAsync("u", "s2", default);
        Assert.That(Reports(), Is.EqualTo(new[] { ("u", true), ("u", false) }), "after the quiet period: at once");
        _clock.Advance(100 * Ms);
        await a.ConnectedAsync("u", "s3", default);
        Assert.That(Reports(), Has.Length.EqualTo(2), "inside the quiet period: later");
        _clock.Advance(1900 * Ms);
        await ReportsAsync(("u", true), ("u", false), ("u", true));
    }

    [Test]
    public async Task Presence_ADeadNodesSockets_StopCounting_AndTheUserIsAnnouncedOffline()
    {
        var dead = await StartNodeAsync(nodeTtl: 600 * Ms);
        var live = await StartNodeAsync();
        await dead.ConnectedAsync("u", "s1", default);
        await dead.ConnectedAsync("v", "s2", default);
        await live.ConnectedAsync("v", "s3", default);
        Assert.That(await live.OnlineUserIdsAsync(default), Is.EquivalentTo(new[] { "u", "v" }));

        await dead.DisposeAsync(); // killed: no more heartbeats, and nothing said on the way out
        await Task.Delay(1000); // Redis expires the dead node's registration on its own clock
        Assert.That(await live.IsOnlineAsync("u", default), Is.False, "sockets on an expired node no longer count");
        _clock.Advance(3000 * Ms);
        await live.BeatAsync();
        Assert.That(await live.OnlineUserIdsAsync(default), Is.EqualTo(new[] { "v" }), "v is still on the live node");
        Assert.That(await Db.KeyExistsAsync(_redis.Key("presence:u")), Is.False);
        Assert.That(Reports(), Is.EqualTo(new[] { ("u", true), ("v", true), ("u", false) }), "u's offline announced once, by the sweeping node");
        await live.BeatAsync();
        Assert.That(Reports(), Has.Length.EqualTo(3), "a second sweep finds nothing");
    }

    [Test]
    public async Task Presence_ANodeWhoseRegistrationWasLost_WritesItsSocketsAgain()
    {
        var a = await StartNodeAsync();
        await a.ConnectedAsync("u", "s1", default);
        // Redis restarted without its data
        var server = _kit.Connection.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: _redis.Prefix + "*")) await Db.KeyDeleteAsync(key);
        Assert.That(await a.IsOnlineAsync("u", default), Is.False);

        await a.BeatAsync();
        Assert.That(await a.IsOnlineAsync("u", default), Is.True);
        Assert.That(await Db.SetContainsAsync(_redis.Key("online_users"), "u"), Is.True);
        Assert.That(await Db.KeyExistsAsync(_redis.Key("presence:u")), Is.True);
        await a.DisconnectedAsync("u", "s1", default);
        Assert.That(await a.OnlineUserIdsAsync(default), Is.Empty);
    }
}
