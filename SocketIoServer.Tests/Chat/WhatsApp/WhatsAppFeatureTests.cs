using System.Text.Json.Nodes;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.WhatsApp;

/// <summary>Seed 003's /messages features: locks, status, conversation views, heartbeat and metrics, the token bucket.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class WhatsAppFeatureTests(string store) : WhatsAppTestBase(store)
{
    [Test]
    public async Task AnyParticipantMayLock_OthersGetLockFailed_WithTheHoldersId_UntilUnlock()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");
        var messageId = await SendAsync(alice, conversationId, "edit me");

        await bob.EmitAsync("message:lock", new { messageId });
        var locked = (await bob.Events.WaitAsync("message:locked")).Args[0]!;
        Assert.That(locked.ToJsonString(), Is.EqualTo($$"""{"messageId":"{{messageId}}","lockedBy":"bob"}"""), "not only the sender may lock");

        await alice.EmitAsync("message:lock", new { messageId });
        var failed = (await alice.Events.WaitAsync("lock-failed")).Args[0]!.AsObject();
        Assert.That(failed.Select(p => p.Key), Is.EqualTo(new[] { "messageId", "lockedBy", "reason" }));
        Assert.That(failed["lockedBy"]!.GetValue<string>(), Is.EqualTo("bob"));
        Assert.That(alice.Events.Count("message:locked"), Is.Zero);

        await carol.EmitAsync("message:lock", new { messageId });
        var notYours = (await carol.Events.WaitAsync("lock-failed")).Args[0]!;
        Assert.That(notYours["lockedBy"], Is.Null, "a non-participant learns nothing");

        AssertError(await AckAsync(alice, "message:unlock", new { messageId }), "FORBIDDEN");
        AssertOk(await AckAsync(bob, "message:unlock", new { messageId }));
        var ack = await AckAsync(alice, "message:lock", new { messageId });
        AssertOk(ack);
        Assert.That(ack["lockedBy"]!.GetValue<string>(), Is.EqualTo("alice"));
        AssertError(await AckAsync(alice, "message:lock", new { }), "VALIDATION_ERROR");
    }

    [Test]
    public async Task ALock_EndsAfterLockTimeout()
    {
        var clock = new ShiftingClock();
        await using var server = await StartAsync(clock, ("LOCK_TIMEOUT", "60000"));
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        var messageId = await SendAsync(alice, conversationId, "edit me");
        AssertOk(await AckAsync(alice, "message:lock", new { messageId }));
        clock.Advance(TimeSpan.FromSeconds(58));
        Assert.That((await AckAsync(bob, "message:lock", new { messageId }))["success"]!.GetValue<bool>(), Is.False, "still held");
        clock.Advance(TimeSpan.FromSeconds(2.5));
        AssertOk(await AckAsync(bob, "message:lock", new { messageId }));
    }

    [Test]
    public async Task ALock_EndsWhenItsHoldersLastSocketDisconnects()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var bob = await ConnectAsync(server, "bob");
        var alice = await ConnectAsync(server, "alice");
        var aliceDefault = await ConnectAsync(server, "alice", "/");
        var messageId = await SendAsync(alice, conversationId, "edit me");
        AssertOk(await AckAsync(alice, "message:lock", new { messageId }));
        await alice.DisposeAsync();
        await Task.Delay(300);
        Assert.That((await AckAsync(bob, "message:lock", new { messageId }))["success"]!.GetValue<bool>(), Is.False, "alice's other socket keeps it");
        await aliceDefault.DisposeAsync();
        await TestWait.UntilAsync(() => !server.Chat.Presence.IsOnlineAsync("alice", CancellationToken.None).Result, "alice offline");
        await Task.Delay(100);
        AssertOk(await AckAsync(bob, "message:lock", new { messageId }));
    }

    [Test]
    public async Task StatusSet_AcksAndTellsTheContacts_AndTheCustomStatusExpires()
    {
        await using var server = await StartAsync();
        await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob", "/");
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(1.5).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        var ack = await AckAsync(alice, "status:set", new { status = "busy", customStatus = new { message = "In a meeting", emoji = "📞", expiresAt } });
        AssertOk(ack);
        var custom = ack["customStatus"]!.AsObject();
        Assert.That(custom.Select(p => p.Key), Is.EqualTo(new[] { "message", "emoji", "expiresAt" }));
        Assert.That((custom["message"]!.GetValue<string>(), custom["emoji"]!.GetValue<string>(), custom["expiresAt"]!.GetValue<string>()),
            Is.EqualTo(("In a meeting", "📞", expiresAt)));
        var told = (await bob.Events.WaitAsync("user:status")).Args[0]!;
        Assert.That(told["userId"]!.GetValue<string>(), Is.EqualTo("alice"));
        Assert.That(told["status"]!.GetValue<string>(), Is.EqualTo("busy"));
        Assert.That(told["customStatus"]!["message"]!.GetValue<string>(), Is.EqualTo("In a meeting"));

        var expired = await bob.Events.WaitAsync("user:status", e => e.Args[0]!["customStatus"] is null, TimeSpan.FromSeconds(5));
        Assert.That(expired.Args[0]!["status"]!.GetValue<string>(), Is.EqualTo("busy"), "the status stays, the custom one is gone");

        AssertError(await AckAsync(alice, "status:set", new { status = "sleeping" }), "VALIDATION_ERROR");
        AssertError(await AckAsync(alice, "status:set", new { status = "away", customStatus = "x" }), "VALIDATION_ERROR");
        AssertError(await AckAsync(alice, "status:set", new { status = "away", customStatus = new { expiresAt = "2000-01-01T00:00:00.000Z" } }), "VALIDATION_ERROR");
        foreach (var status in new[] { "online", "offline", "away", "busy", "dnd" }) AssertOk(await AckAsync(alice, "status:set", new { status }));
    }

    [Test]
    public async Task MessageRead_MovesTheReadCursor_TellsTheConversation_AndUpdatesTheLastSeenTime()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");
        var messageId = await SendAsync(alice, conversationId, "read me");

        var ack = await AckAsync(bob, "message:read", new { conversationId, messageId });
        AssertOk(ack);
        Assert.That(ack["readAt"]!.GetValue<string>(), Does.EndWith("Z"));
        var read = (await alice.Events.WaitAsync("message:read")).Args[0]!.AsObject();
        Assert.That(read.Select(p => p.Key), Is.EqualTo(new[] { "conversationId", "messageId", "userId", "readAt" }));
        Assert.That(read["userId"]!.GetValue<string>(), Is.EqualTo("bob"));
        Assert.That((await server.Store.GetReadCursorAsync(conversationId, "bob", CancellationToken.None))!.MessageId, Is.EqualTo(messageId));
        var vocabulary = (global::SocketIoServer.Chat.Vocabularies.WhatsApp.WhatsAppVocabulary)server.App.Services.GetService(
            typeof(global::SocketIoServer.Chat.Vocabularies.WhatsApp.WhatsAppVocabulary))!;
        Assert.That(await vocabulary.LastViewedAsync("bob", conversationId, CancellationToken.None), Is.Not.Null, "reading counts as viewing");

        AssertError(await AckAsync(bob, "message:read", new { conversationId, messageId = "000000000000000000000000" }), "NOT_FOUND");
        AssertError(await AckAsync(carol, "message:read", new { conversationId, messageId }), "FORBIDDEN");
        AssertError(await AckAsync(bob, "message:read", new { conversationId }), "VALIDATION_ERROR");
    }

    [Test]
    public async Task ADeletedMessage_CannotBeLocked()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        var messageId = await SendAsync(alice, conversationId, "gone soon");
        using var http = Http(server, "alice");
        await http.DeleteAsync($"/v1/messages/{messageId}");
        var ack = await AckAsync(alice, "message:lock", new { messageId });
        Assert.That(ack["success"]!.GetValue<bool>(), Is.False);
        var failed = (await alice.Events.WaitAsync("lock-failed")).Args[0]!;
        Assert.That(failed["reason"]!.GetValue<string>(), Is.EqualTo("Message not found"));
    }

    [Test]
    public async Task ConversationView_RecordsTheLastSeenTime_AndTellsTheOthers()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");
        var ack = await AckAsync(alice, "conversation:view", new { conversationId });
        AssertOk(ack);
        Assert.That(ack.Select(p => p.Key), Is.EqualTo(new[] { "success", "conversationId", "lastSeenAt" }));
        var viewed = (await bob.Events.WaitAsync("conversation:viewed")).Args[0]!;
        Assert.That(viewed["userId"]!.GetValue<string>(), Is.EqualTo("alice"));
        Assert.That(viewed["lastSeenAt"]!.GetValue<string>(), Is.EqualTo(ack["lastSeenAt"]!.GetValue<string>()));
        AssertError(await AckAsync(carol, "conversation:view", new { conversationId }), "FORBIDDEN");
        AssertError(await AckAsync(carol, "conversation:view", new { }), "VALIDATION_ERROR");
    }

    [Test]
    public async Task HeartbeatAndMetrics_ReportLatencyAndMissedHeartbeats_ThroughTheAck_OrAMetricsEvent()
    {
        var clock = new ShiftingClock();
        await using var server = await StartAsync(clock, ("SOCKET_PING_INTERVAL", "25000"));
        await using var alice = await ConnectAsync(server, "alice");

        var beat = await AckAsync(alice, "heartbeat", new { timestamp = clock.GetUtcNow().ToUnixTimeMilliseconds() - 40 });
        Assert.That(beat["latency"]!.GetValue<long>(), Is.InRange(40, 2000));
        await alice.EmitAsync("heartbeat", new { timestamp = clock.GetUtcNow().ToUnixTimeMilliseconds() - 60 });
        await alice.Events.WaitAsync("heartbeat:ack");

        var metrics = await AckAsync(alice, "metrics:get", new { });
        Assert.That(metrics.Select(p => p.Key), Is.EqualTo(new[] { "userId", "socketId", "avgLatency", "lastHeartbeat", "missedHeartbeats", "consecutiveMissed" }));
        Assert.That(metrics["userId"]!.GetValue<string>(), Is.EqualTo("alice"));
        Assert.That(metrics["socketId"]!.GetValue<string>(), Is.EqualTo(alice.Id));
        Assert.That(metrics["avgLatency"]!.GetValue<long>(), Is.InRange(50, 2000));
        Assert.That(metrics["missedHeartbeats"]!.GetValue<long>(), Is.Zero);

        clock.Advance(TimeSpan.FromSeconds(80)); // three intervals and a bit: two heartbeats missed
        await alice.EmitAsync("metrics:get");
        var pushed = (await alice.Events.WaitAsync("metrics")).Args[0]!;
        Assert.That(pushed["consecutiveMissed"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(pushed["missedHeartbeats"]!.GetValue<long>(), Is.EqualTo(2));
        await AckAsync(alice, "heartbeat", new { });
        var after = await AckAsync(alice, "metrics:get", new { });
        Assert.That(after["consecutiveMissed"]!.GetValue<long>(), Is.Zero, "a heartbeat ends the streak");
        Assert.That(after["missedHeartbeats"]!.GetValue<long>(), Is.EqualTo(2), "the count stays");
    }

    [Test]
    public async Task TheTokenBucket_CountsEveryEventOnMessagesAndNotifications_AndRefillsOverTheWindow()
    {
        var clock = new ShiftingClock();
        await using var server = await StartAsync(clock, ("RATE_LIMIT_MAX", "4"), ("RATE_LIMIT_WINDOW", "10000"));
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var notifications = await ConnectAsync(server, "alice", "/notifications");
        await using var bob = await ConnectAsync(server, "bob");

        await AckAsync(alice, "metrics:get", new { });
        await AckAsync(notifications, "notifications:unread", new { });
        await alice.EmitAsync("some-unknown-event", new { });
        await SendAsync(alice, conversationId, "fourth event");
        var refused = await AckAsync(alice, "message:send", new { conversationId, content = "fifth" });
        Assert.That(AssertError(refused, "RATE_LIMITED"), Does.Contain("4"));
        var exceeded = (await alice.Events.WaitAsync("rate-limit-exceeded")).Args[0]!.AsObject();
        Assert.That(exceeded.Select(p => p.Key), Is.EqualTo(new[] { "event", "message" }));
        Assert.That(exceeded["event"]!.GetValue<string>(), Is.EqualTo("message:send"));
        await notifications.EmitAsync("notifications:unread", new { });
        Assert.That((await notifications.Events.WaitAsync("rate-limit-exceeded")).Args[0]!["event"]!.GetValue<string>(), Is.EqualTo("notifications:unread"));

        clock.Advance(TimeSpan.FromSeconds(2.5)); // one token back
        await SendAsync(alice, conversationId, "after a quarter window");
        AssertError(await AckAsync(alice, "metrics:get", new { }), "RATE_LIMITED");
        clock.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 4; i++) await AckAsync(alice, "metrics:get", new { });

        await bob.Events.WaitAsync("message:new", e => e.Args[0]!["content"]!.GetValue<string>() == "after a quarter window");
        Assert.That(bob.Events.Named("message:new").Select(e => e.Args[0]!["content"]!.GetValue<string>()), Does.Not.Contain("fifth"), "a refused message is not delivered");
        Assert.That(alice.Connected, Is.True);
    }

    [Test]
    public async Task TheDefaultNamespace_KeepsFamlysMessageLimit_AndAnswersSeed003sShapeWithRateLimitExceeded()
    {
        await using var server = await StartAsync(null, ("RATE_LIMIT_MAX", "2"));
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice", "/");
        for (var i = 0; i < 10; i++) await SendAsync(alice, conversationId, "m" + i);
        AssertError(await AckAsync(alice, "message:send", new { conversationId, content = "eleventh" }), "RATE_LIMITED");
        var exceeded = (await alice.Events.WaitAsync("rate-limit-exceeded")).Args[0]!;
        Assert.That(exceeded["message"]!.GetValue<string>(), Is.EqualTo("Maximum 10 messages per 10 seconds"));
        var missed = await alice.AskListAsync("get-missed-messages", new { lastSync = 0 });
        Assert.That(missed, Has.Count.EqualTo(10), "no token bucket on /");
    }

    [Test]
    public async Task BadPayloads_AreErrors_AndTheConnectionGoesOn()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice");
        foreach (var name in new[] { "message:send", "message:read", "message:lock", "message:unlock", "conversation:view", "status:set" })
        {
            var ack = (await alice.AskAsync(name, "not an object"))!.AsObject();
            AssertError(ack, "VALIDATION_ERROR");
        }
        await alice.EmitAsync("status:set", 42);
        var error = (await alice.Events.WaitAsync("error")).Args[0]!;
        Assert.That(error["error"]!.GetValue<string>(), Is.EqualTo("VALIDATION_ERROR"), "without an ack, an error event");
        Assert.That(error["event"]!.GetValue<string>(), Is.EqualTo("status:set"));
        await alice.EmitAsync("typing", "garbage");
        await alice.EmitAsync("heartbeat", "garbage");
        Assert.That((await AckAsync(alice, "metrics:get", new { }))["userId"]!.GetValue<string>(), Is.EqualTo("alice"));
    }
}
