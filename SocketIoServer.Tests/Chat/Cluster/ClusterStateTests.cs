using System.Text.Json.Nodes;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.Cluster;

/// <summary>
/// The chat state three nodes share through Redis: presence (devices on two nodes, seed 001's keys and TTLs,
/// <c>online-users</c>), rate limits, typing sets, WhatsApp's locks, offline queue and statuses.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterStateTests
{
    private ChatCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => _cluster = await ChatCluster.StartAsync(3, null,
        ("RATE_LIMIT_MAX", "5"), ("RATE_LIMIT_WINDOW", "60000"), ("LOCK_TIMEOUT", "3000"));

    [OneTimeTearDown]
    public async Task StopCluster() => await _cluster.DisposeAsync();

    private Task<bool> IsListedOnlineAsync(string userId) => _cluster.Redis.SetContainsAsync(_cluster.Key("online_users"), userId);

    [Test]
    public async Task Presence_DevicesOnTwoNodes_ClosingOneKeepsTheUserOnline_ClosingBothAnnouncesOfflineOnce()
    {
        await _cluster.CreateChatAsync(2, "po", "dm", "pu");
        await using var observer = await _cluster.ConnectAsync(2, "po", "/", "user-online", "user-offline");
        var phone = await _cluster.ConnectAsync(0, "pu", "/");
        await observer.Events.WaitAsync("user-online", e => e.Args[0]!["userId"]!.GetValue<string>() == "pu");
        var laptop = await _cluster.ConnectAsync(1, "pu", "/");

        // online-users on a third node lists the users of the others
        await using var newcomer = await _cluster.ConnectAsync(2, "pn", "/", "online-users");
        var online = (await newcomer.Events.WaitAsync("online-users")).Args[0]!.AsArray().Select(u => u!.GetValue<string>()).ToList();
        Assert.That(online, Is.SupersetOf(new[] { "po", "pu", "pn" }));

        // seed 001's keys, with their TTLs
        var presence = await _cluster.Redis.StringGetAsync(_cluster.Key("presence:pu"));
        Assert.That(JsonNode.Parse(presence.ToString())!["status"]!.GetValue<string>(), Is.EqualTo("online"));
        Assert.That(await _cluster.Redis.KeyTimeToLiveAsync(_cluster.Key("presence:pu")), Is.GreaterThan(TimeSpan.FromSeconds(200)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(300)));
        Assert.That(await IsListedOnlineAsync("pu"), Is.True);

        await phone.DisposeAsync();
        await Task.Delay(3000); // past the 2 s throttle: an offline would have been announced by now
        Assert.That(observer.Events.Count("user-offline"), Is.Zero, "the laptop on the other node keeps the user online");
        Assert.That(await IsListedOnlineAsync("pu"), Is.True);

        await laptop.DisposeAsync();
        await observer.Events.WaitAsync("user-offline", e => e.Args[0]!["userId"]!.GetValue<string>() == "pu");
        await Task.Delay(500);
        Assert.That(observer.Events.Count("user-offline"), Is.EqualTo(1), "offline announced once, by one node");
        Assert.That(observer.Events.Count("user-online"), Is.EqualTo(1));
        Assert.That(await IsListedOnlineAsync("pu"), Is.False);
        Assert.That(await _cluster.Redis.KeyExistsAsync(_cluster.Key("presence:pu")), Is.False);
    }

    [Test]
    public async Task Famly_SendsSpreadOverTwoNodes_HitOneLimit()
    {
        var chatId = await _cluster.CreateChatAsync(0, "ra", "dm", "rb");
        await using var onA = await _cluster.ConnectAsync(0, "ra", "/");
        await using var onB = await _cluster.ConnectAsync(1, "ra", "/");
        for (var i = 0; i < 10; i++)
        {
            var ack = (await (i % 2 == 0 ? onA : onB).AskAsync("message:send", new { chatId, body = $"m{i}", clientId = $"r-{i}" }))!.AsObject();
            Assert.That(ack["ok"]!.GetValue<bool>(), Is.True, $"send {i + 1}: {ack.ToJsonString()}");
        }
        foreach (var client in new[] { onA, onB })
        {
            var refused = (await client.AskAsync("message:send", new { chatId, body = "one too many", clientId = Guid.NewGuid().ToString() }))!.AsObject();
            Assert.That(refused["ok"]!.GetValue<bool>(), Is.False, refused.ToJsonString());
            Assert.That(refused["error"]!.GetValue<string>(), Is.EqualTo("RATE_LIMITED"), refused.ToJsonString());
        }
    }

    [Test]
    public async Task WhatsApp_EventsSpreadOverTwoNodes_EmptyOneBucket()
    {
        var conversationId = await _cluster.CreateChatAsync(0, "wra", "dm", "wrb");
        await using var onA = await _cluster.ConnectAsync(0, "wra", "/messages", "rate-limit-exceeded");
        await using var onB = await _cluster.ConnectAsync(1, "wra", "/messages", "rate-limit-exceeded");
        for (var i = 0; i < 5; i++)
        {
            var ack = (await (i < 3 ? onA : onB).AskAsync("message:send", new { conversationId, content = $"m{i}" }))!.AsObject();
            Assert.That(ack["success"]!.GetValue<bool>(), Is.True, $"event {i + 1}: {ack.ToJsonString()}");
        }
        var refused = (await onB.AskAsync("message:send", new { conversationId, content = "one too many" }))!.AsObject();
        Assert.That(refused["error"]?.GetValue<string>(), Is.EqualTo("RATE_LIMITED"), refused.ToJsonString());
        var exceeded = (await onB.Events.WaitAsync("rate-limit-exceeded")).Args[0]!.AsObject();
        Assert.That(exceeded["event"]!.GetValue<string>(), Is.EqualTo("message:send"));
    }

    [Test]
    public async Task Task5_TypingWritesSeed001sSet_WithItsTtl_AndTheOtherNodeHearsIt()
    {
        var roomId = await _cluster.CreateChatAsync(0, "ya", "group", "yb");
        await using var typist = await _cluster.ConnectAsync(0, "ya", "/");
        await using var listener = await _cluster.ConnectAsync(1, "yb", "/", "user-typing", "user-stopped-typing");
        await typist.EmitAsync("typing-start", new { roomId });
        await listener.Events.WaitAsync("user-typing");
        var key = _cluster.Key("typing:" + roomId);
        Assert.That((await _cluster.Redis.SetMembersAsync(key)).Select(v => v.ToString()), Is.EqualTo(new[] { "ya" }));
        Assert.That(await _cluster.Redis.KeyTimeToLiveAsync(key), Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(5)));
        await typist.EmitAsync("typing-stop", new { roomId });
        await listener.Events.WaitAsync("user-stopped-typing");
        Assert.That(await _cluster.Redis.SetMembersAsync(key), Is.Empty);
    }

    private static async Task<JsonObject> AckAsync(TestClient client, string name, object payload) => (await client.AskAsync(name, payload))!.AsObject();

    [Test]
    public async Task WhatsApp_ALockOnA_IsRefusedOnB_ReleasedByItsOwnerOnly_AndExpires()
    {
        var conversationId = await _cluster.CreateChatAsync(0, "la", "group", "lb", "lc");
        string[] events = ["message:locked", "lock-failed"];
        await using var a = await _cluster.ConnectAsync(0, "la", "/messages", events);
        await using var b = await _cluster.ConnectAsync(1, "lb", "/messages", events);
        await using var c = await _cluster.ConnectAsync(2, "lc", "/messages", events);
        var messageId = (await AckAsync(a, "message:send", new { conversationId, content = "edit me" }))["message"]!["_id"]!.GetValue<string>();

        Assert.That((await AckAsync(a, "message:lock", new { messageId }))["success"]!.GetValue<bool>(), Is.True);
        await a.Events.WaitAsync("message:locked");
        var refused = await AckAsync(b, "message:lock", new { messageId });
        Assert.That(refused["success"]!.GetValue<bool>(), Is.False);
        Assert.That(refused["lockedBy"]!.GetValue<string>(), Is.EqualTo("la"), "the holder, from the other node");
        var failed = (await b.Events.WaitAsync("lock-failed")).Args[0]!.AsObject();
        Assert.That(failed["lockedBy"]!.GetValue<string>(), Is.EqualTo("la"));

        Assert.That((await AckAsync(b, "message:unlock", new { messageId }))["error"]!.GetValue<string>(), Is.EqualTo("FORBIDDEN"), "only the owner releases");
        Assert.That((await AckAsync(a, "message:unlock", new { messageId }))["success"]!.GetValue<bool>(), Is.True);
        Assert.That((await AckAsync(b, "message:lock", new { messageId }))["success"]!.GetValue<bool>(), Is.True, "free once its owner let go");
        Assert.That((await AckAsync(c, "message:lock", new { messageId }))["lockedBy"]!.GetValue<string>(), Is.EqualTo("lb"));

        await Task.Delay(3500); // LOCK_TIMEOUT is 3 s in this cluster
        Assert.That((await AckAsync(c, "message:lock", new { messageId }))["success"]!.GetValue<bool>(), Is.True, "lb's lock expired");
    }

    [Test]
    public async Task WhatsApp_TheOfflineQueue_IsFlushedWhenTheUserReconnectsOnAnotherNode()
    {
        var conversationId = await _cluster.CreateChatAsync(0, "qa", "dm", "qb");
        var before = await _cluster.ConnectAsync(2, "qb", "/messages");
        await ChatCluster.EventuallyAsync(() => IsListedOnlineAsync("qb"), "qb is online");
        await before.DisposeAsync();
        await ChatCluster.EventuallyAsync(async () => !await IsListedOnlineAsync("qb"), "qb is offline");

        await using var sender = await _cluster.ConnectAsync(0, "qa", "/messages");
        var ack = await AckAsync(sender, "message:send", new { conversationId, content = "while you were away" });
        Assert.That(ack["success"]!.GetValue<bool>(), Is.True, ack.ToJsonString());

        await using var back = await _cluster.ConnectAsync(1, "qb", "/messages", "message:new");
        var queued = (await back.Events.WaitAsync("message:new")).Args[0]!.AsObject();
        Assert.That(queued["content"]!.GetValue<string>(), Is.EqualTo("while you were away"));
        Assert.That(queued["_id"]!.GetValue<string>(), Is.EqualTo(ack["message"]!["_id"]!.GetValue<string>()));
    }

    [Test]
    public async Task WhatsApp_AStatusSetOnA_IsSeenOnB()
    {
        await _cluster.CreateChatAsync(0, "sa", "dm", "sb");
        await using var a = await _cluster.ConnectAsync(0, "sa", "/messages");
        await using var b = await _cluster.ConnectAsync(1, "sb", "/messages", "user:status");
        var ack = await AckAsync(a, "status:set", new { status = "busy", customStatus = new { message = "in a meeting" } });
        Assert.That(ack["success"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
        var status = (await b.Events.WaitAsync("user:status")).Args[0]!.AsObject();
        Assert.That(status["userId"]!.GetValue<string>(), Is.EqualTo("sa"));
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("busy"));
        var stored = JsonNode.Parse((await _cluster.Redis.StringGetAsync(_cluster.Key("whatsapp:status:sa"))).ToString())!;
        Assert.That(stored["status"]!.GetValue<string>(), Is.EqualTo("busy"), "every node reads it from Redis");
        Assert.That(stored["customStatus"]!["message"]!.GetValue<string>(), Is.EqualTo("in a meeting"));
    }
}
