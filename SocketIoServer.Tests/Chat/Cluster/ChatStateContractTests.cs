using SocketIoServer.Chat.Cluster;
using SocketIoServer.Chat.Cluster.Redis;
using SocketIoServer.Chat.Vocabularies.WhatsApp;

namespace SocketIoServer.Tests.Chat.Cluster;

/// <summary>
/// The chat state's small stores, each run against its in-memory implementation and its Redis one (the test Redis):
/// the same answers from both, so a vocabulary cannot tell which one runs. Two Redis stores on the same prefix stand
/// for two nodes.
/// </summary>
[TestFixture("memory")]
[TestFixture("redis")]
public sealed class ChatStateContractTests(string backend)
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private readonly ChatStateKit _kit = new();
    private ClusterClock _clock = null!;
    private ChatRedis? _redis;

    [SetUp]
    public void SetUp()
    {
        _clock = new ClusterClock();
        _redis = backend == "redis" ? _kit.NewRedis() : null;
        _localLimiters = null;
        _localLocks = null;
        _localStatuses = null;
        _localViews = null;
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _kit.DisposeAsync();

    // one factory per "node": in memory they must be the same object to share anything, in Redis they share the keys
    private IRateLimiterFactory Limiters() => _redis is null ? _localLimiters ??= new LocalRateLimiterFactory(_clock) : new RedisRateLimiterFactory(_redis, _clock);

    private LocalRateLimiterFactory? _localLimiters;

    [Test]
    public async Task SlidingWindow_AdmitsTheLimitPerWindow_AndARefusalTakesNothing()
    {
        var limiter = Limiters().SlidingWindow("famly", 3, 1000 * Ms);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(await limiter.TryAcquireAsync("u", default), Is.True, $"action {i + 1}");
            _clock.Advance(100 * Ms);
        }
        Assert.That(await limiter.TryAcquireAsync("u", default), Is.False, "the fourth in the window");
        Assert.That(await limiter.TryAcquireAsync("other", default), Is.True, "another key has its own window");
        _clock.Advance(699 * Ms);
        Assert.That(await limiter.TryAcquireAsync("u", default), Is.False, "the oldest is still in the window");
        _clock.Advance(1 * Ms);
        Assert.That(await limiter.TryAcquireAsync("u", default), Is.True, "the oldest left the window (refusals did not count)");
        Assert.That(await limiter.TryAcquireAsync("u", default), Is.False);
    }

    [Test]
    public async Task TokenBucket_LetsABurstThrough_ThenRefillsAtItsRate()
    {
        var bucket = Limiters().TokenBucket("whatsapp", 4, 1000 * Ms);
        for (var i = 0; i < 4; i++) Assert.That(await bucket.TryAcquireAsync("u", default), Is.True, $"burst {i + 1}");
        Assert.That(await bucket.TryAcquireAsync("u", default), Is.False, "empty");
        _clock.Advance(250 * Ms);
        Assert.That(await bucket.TryAcquireAsync("u", default), Is.True, "one token back after a quarter of the window");
        Assert.That(await bucket.TryAcquireAsync("u", default), Is.False);
        _clock.Advance(10_000 * Ms);
        for (var i = 0; i < 4; i++) Assert.That(await bucket.TryAcquireAsync("u", default), Is.True, "full again, never more than its capacity");
        Assert.That(await bucket.TryAcquireAsync("u", default), Is.False);
    }

    private IMessageLocks Locks(TimeSpan timeout) => _redis is null ? _localLocks ??= new MessageLocks(timeout, _clock) : new RedisMessageLocks(_redis, timeout);

    private IMessageLocks? _localLocks;

    [Test]
    public async Task Locks_OneHolder_RenewedByIt_ReleasedOnlyByIt()
    {
        var locks = Locks(TimeSpan.FromMinutes(5));
        Assert.That(await locks.TryLockAsync("m1", "alice", default), Is.EqualTo((true, "alice")));
        Assert.That(await locks.TryLockAsync("m1", "bob", default), Is.EqualTo((false, "alice")), "held by alice");
        Assert.That(await locks.TryLockAsync("m1", "alice", default), Is.EqualTo((true, "alice")), "renewed by its holder");
        Assert.That(await locks.UnlockAsync("m1", "bob", default), Is.False, "only the owner releases");
        Assert.That(await locks.TryLockAsync("m1", "bob", default), Is.EqualTo((false, "alice")), "still alice's");
        Assert.That(await locks.UnlockAsync("m1", "alice", default), Is.True);
        Assert.That(await locks.UnlockAsync("m1", "alice", default), Is.False, "nothing left to release");
        Assert.That(await locks.TryLockAsync("m1", "bob", default), Is.EqualTo((true, "bob")));
    }

    [Test]
    public async Task Locks_ReleaseAll_EndsTheHoldersLocksOnly()
    {
        var locks = Locks(TimeSpan.FromMinutes(5));
        await locks.TryLockAsync("m1", "alice", default);
        await locks.TryLockAsync("m2", "alice", default);
        await locks.TryLockAsync("m3", "bob", default);
        Assert.That(await locks.ReleaseAllAsync("alice", default), Is.EquivalentTo(new[] { "m1", "m2" }));
        Assert.That(await locks.TryLockAsync("m1", "carol", default), Is.EqualTo((true, "carol")));
        Assert.That(await locks.TryLockAsync("m3", "carol", default), Is.EqualTo((false, "bob")));
        Assert.That(await locks.ReleaseAllAsync("alice", default), Is.Empty);
    }

    [Test]
    public async Task Locks_Expire_AfterTheTimeout()
    {
        // Redis expires keys on its own clock: a short real timeout there, the test clock in memory
        var locks = Locks(300 * Ms);
        Assert.That((await locks.TryLockAsync("m1", "alice", default)).Locked, Is.True);
        Assert.That((await locks.TryLockAsync("m1", "bob", default)).Locked, Is.False);
        _clock.Advance(300 * Ms);
        if (_redis is not null) await Task.Delay(600);
        Assert.That(await locks.TryLockAsync("m1", "bob", default), Is.EqualTo((true, "bob")), "alice's lock expired");
        Assert.That(await locks.UnlockAsync("m1", "alice", default), Is.False, "an expired lock is no one's to release");
    }

    private ITypingStore Typing(TimeSpan ttl) => _redis is null ? new LocalTypingStore(ttl, _clock) : new RedisTypingStore(_redis, ttl);

    [Test]
    public async Task Typing_StartStop_AndTheSetExpires()
    {
        var typing = Typing(TimeSpan.FromSeconds(1));
        await typing.StartedAsync("r1", "alice", default);
        await typing.StartedAsync("r1", "bob", default);
        Assert.That(await typing.TypingUserIdsAsync("r1", default), Is.EquivalentTo(new[] { "alice", "bob" }));
        await typing.StoppedAsync("r1", "alice", default);
        Assert.That(await typing.TypingUserIdsAsync("r1", default), Is.EqualTo(new[] { "bob" }));
        Assert.That(await typing.TypingUserIdsAsync("r2", default), Is.Empty);
        _clock.Advance(TimeSpan.FromSeconds(1));
        if (_redis is not null) await Task.Delay(1500);
        Assert.That(await typing.TypingUserIdsAsync("r1", default), Is.Empty, "the set expired");
    }

    private IUserStatuses Statuses() => _redis is null ? _localStatuses ??= new UserStatuses(_clock) : new RedisUserStatuses(_redis, _clock);

    private IUserStatuses? _localStatuses;

    [Test]
    public async Task Statuses_SetOnOneNode_SeenOnAnother_AndTheCustomStatusExpires()
    {
        var expired = new List<UserStatuses.UserStatus>();
        var custom = new UserStatuses.CustomStatus("lunch", "🍔", _clock.GetUtcNow().AddMinutes(1));
        var set = await Statuses().SetAsync("alice", "away", custom, expired.Add, default);
        Assert.That(set, Is.EqualTo(new UserStatuses.UserStatus("away", custom)));
        var seen = await Statuses().GetAsync("alice", default);
        Assert.That(seen?.Status, Is.EqualTo("away"));
        Assert.That(seen?.Custom?.Message, Is.EqualTo("lunch"));
        Assert.That(seen?.Custom?.ExpiresAt?.ToUnixTimeMilliseconds(), Is.EqualTo(custom.ExpiresAt!.Value.ToUnixTimeMilliseconds()));
        Assert.That(await Statuses().GetAsync("bob", default), Is.Null);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await WaitAsync(() => expired.Count == 1, "the expiry reported");
        Assert.That(expired[0], Is.EqualTo(new UserStatuses.UserStatus("away", null)));
        Assert.That(await Statuses().GetAsync("alice", default), Is.EqualTo(new UserStatuses.UserStatus("away", null)));
    }

    [Test]
    public async Task Statuses_ASetSince_IsNotUndoneByTheOldExpiry()
    {
        var expired = new List<UserStatuses.UserStatus>();
        await Statuses().SetAsync("alice", "away", new UserStatuses.CustomStatus("lunch", null, _clock.GetUtcNow().AddMinutes(1)), expired.Add, default);
        await Statuses().SetAsync("alice", "busy", null, expired.Add, default);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(200);
        Assert.That(expired, Is.Empty);
        Assert.That(await Statuses().GetAsync("alice", default), Is.EqualTo(new UserStatuses.UserStatus("busy", null)));
    }

    private IConversationViews Views() => _redis is null ? _localViews ??= new LocalConversationViews() : new RedisConversationViews(_redis);

    private IConversationViews? _localViews;

    [Test]
    public async Task Views_RecordedOnOneNode_ReadOnAnother()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(_clock.GetUtcNow().ToUnixTimeMilliseconds());
        await Views().RecordAsync("alice", "c1", at, default);
        Assert.That(await Views().LastViewedAsync("alice", "c1", default), Is.EqualTo(at));
        Assert.That(await Views().LastViewedAsync("alice", "c2", default), Is.Null);
        Assert.That(await Views().LastViewedAsync("bob", "c1", default), Is.Null);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting for " + what);
            await Task.Delay(20);
        }
    }
}
