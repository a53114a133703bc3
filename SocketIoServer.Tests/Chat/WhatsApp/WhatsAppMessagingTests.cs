using System.Text.Json.Nodes;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.WhatsApp;

/// <summary>Seed 003's messages: message:send on / and /messages, message:new, message:deleted, get-missed-messages, typing, the offline queue.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class WhatsAppMessagingTests(string store) : WhatsAppTestBase(store)
{
    private static readonly string[] MessageKeys = ["chatId", "_id", "body", "senderId", "createdAt", "clientId", "conversationId", "content"];

    [Test]
    public async Task MessageSend_OnMessages_AcksTheMessage_AndMessageNewGoesOutOnBothNamespaces_InBothShapes()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bobMessages = await ConnectAsync(server, "bob");
        await using var bobDefault = await ConnectAsync(server, "bob", "/");

        var ack = await AckAsync(alice, "message:send", new { conversationId, content = "Hello 👋", clientId = "c-1" });
        Assert.That(ack.Select(p => p.Key), Is.EqualTo(new[] { "success", "message" }));
        AssertOk(ack);
        var acked = ack["message"]!.AsObject();
        Assert.That(acked.Select(p => p.Key), Is.EqualTo(MessageKeys));
        Assert.That(acked["content"]!.GetValue<string>(), Is.EqualTo("Hello 👋"));
        Assert.That(acked["conversationId"]!.GetValue<string>(), Is.EqualTo(conversationId));

        foreach (var bob in new[] { bobMessages, bobDefault })
        {
            var received = (await bob.Events.WaitAsync("message:new")).Args[0]!.AsObject();
            Assert.That(received.ToJsonString(), Is.EqualTo(acked.ToJsonString()), "one object: both seeds' fields");
        }
        await Task.Delay(200);
        Assert.That(bobDefault.Events.Count("message:new"), Is.EqualTo(1), "one emission on / (not one per vocabulary)");
        Assert.That(bobMessages.Events.Count("message:new"), Is.EqualTo(1));
        Assert.That((await server.Store.GetMessageAsync(acked["_id"]!.GetValue<string>(), CancellationToken.None))!.Body, Is.EqualTo("Hello 👋"));
    }

    [Test]
    public async Task MessageSend_OnDefaultNamespace_TakesEitherShape_AndAnswersEachInItsSeedsAckShape()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice", "/");
        await using var bob = await ConnectAsync(server, "bob", "/");

        var whatsApp = await AckAsync(alice, "message:send", new { conversationId, content = "from 003" });
        AssertOk(whatsApp);
        Assert.That(whatsApp["message"]!.AsObject().ContainsKey("clientId"), Is.False, "clientId is optional in seed 003");
        var famly = await AckAsync(alice, "message:send", new { chatId = conversationId, body = "from 002", clientId = "f-1" });
        Assert.That(famly["ok"]!.GetValue<bool>(), Is.True, famly.ToJsonString());
        var both = await bob.Events.WaitCountAsync("message:new", 2);
        Assert.That(both.Select(e => e.Args[0]!["content"]!.GetValue<string>()), Is.EqualTo(new[] { "from 003", "from 002" }));
        Assert.That(both.Select(e => e.Args[0]!["body"]!.GetValue<string>()), Is.EqualTo(new[] { "from 003", "from 002" }));

        AssertError(await AckAsync(alice, "message:send", new { conversationId, content = "" }), "VALIDATION_ERROR");
        AssertError(await AckAsync(alice, "message:send", new { conversationId, content = new string('x', 8001) }), "VALIDATION_ERROR");
        AssertError(await AckAsync(alice, "message:send", new { conversationId = 5, content = "x" }), "VALIDATION_ERROR");
        await using var carol = await ConnectAsync(server, "carol", "/");
        AssertError(await AckAsync(carol, "message:send", new { conversationId, content = "intrusion" }), "FORBIDDEN");
        Assert.That(alice.Connected && carol.Connected, Is.True);
    }

    [Test]
    public async Task MessageSend_WithAClientId_IsIdempotent()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        var first = await SendAsync(alice, conversationId, "once", "retry-me");
        Assert.That(await SendAsync(alice, conversationId, "once", "retry-me"), Is.EqualTo(first));
        var marker = await SendAsync(alice, conversationId, "marker");
        await bob.Events.WaitAsync("message:new", e => e.Args[0]!["_id"]!.GetValue<string>() == marker);
        Assert.That(bob.Events.Count("message:new"), Is.EqualTo(2));
    }

    [Test]
    public async Task GetMissedMessages_AnswersThroughItsAck_WithTheMessagesAfterLastSyncDate_OrLastSync()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        var other = await server.CreateChatAsync("carol", "dm", "dave");
        await using var alice = await ConnectAsync(server, "alice");
        await using var carol = await ConnectAsync(server, "carol");
        var before = await SendAsync(alice, conversationId, "before");
        var beforeAt = (await server.Store.GetMessageAsync(before, CancellationToken.None))!.CreatedAt;
        await Task.Delay(5);
        await SendAsync(alice, conversationId, "after 1");
        await SendAsync(alice, conversationId, "after 2");
        await SendAsync(carol, other, "not bob's");

        await using var bob = await ConnectAsync(server, "bob", "/");
        var lastSyncDate = beforeAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        var missed = await bob.AskListAsync("get-missed-messages", new { lastSyncDate });
        Assert.That(missed.Select(m => m!["content"]!.GetValue<string>()), Is.EqualTo(new[] { "after 1", "after 2" }));
        Assert.That(missed[0]!.AsObject().Select(p => p.Key), Is.EqualTo(MessageKeys.Where(k => k != "clientId")));

        await using var bobMessages = await ConnectAsync(server, "bob");
        var byNumber = await bobMessages.AskListAsync("get-missed-messages", new { lastSync = beforeAt.ToUnixTimeMilliseconds() });
        Assert.That(byNumber.Select(m => m!["content"]!.GetValue<string>()), Is.EqualTo(new[] { "after 1", "after 2" }), "lastSync, as ms, on /messages");
        var all = await bob.AskListAsync("get-missed-messages", new { lastSync = "1970-01-01T00:00:00.000Z" });
        Assert.That(all, Has.Count.EqualTo(3));

        AssertError(await AckAsync(bob, "get-missed-messages", new { }), "VALIDATION_ERROR");
        AssertError(await AckAsync(bob, "get-missed-messages", new { lastSyncDate = "yesterday" }), "VALIDATION_ERROR");
        await bob.EmitAsync("get-missed-messages", new { lastSyncDate });
        var pushed = await bob.Events.WaitAsync("missed-messages");
        Assert.That(pushed.Args[0]!.AsArray(), Has.Count.EqualTo(2), "without an ack, a missed-messages event");
    }

    [Test]
    public async Task Typing_GoesToTheOtherParticipants_AsUserTyping_AndNeverToTheSender()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var alicePhone = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");

        await carol.EmitAsync("typing", new { conversationId });
        await alice.EmitAsync("typing", new { });
        await alice.EmitAsync("typing", new { conversationId });
        var typing = (await bob.Events.WaitAsync("user:typing")).Args[0]!;
        Assert.That(typing.ToJsonString(), Is.EqualTo($$"""{"conversationId":"{{conversationId}}","userId":"alice","username":"alice"}"""));
        await SendAsync(alice, conversationId, "barrier");
        await alicePhone.Events.WaitAsync("message:new");
        await bob.Events.WaitAsync("message:new");
        Assert.Multiple(() =>
        {
            Assert.That(bob.Events.Count("user:typing"), Is.EqualTo(1), "carol is no participant");
            Assert.That(alice.Events.Count("user:typing") + alicePhone.Events.Count("user:typing"), Is.Zero, "the sender's sockets are left out");
            Assert.That(carol.Events.Count("user:typing"), Is.Zero);
        });
    }

    [Test]
    public async Task Typing_IsRateLimitedByItsOwnBucket()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        for (var i = 0; i < 21; i++) await alice.EmitAsync("typing", new { conversationId });
        var exceeded = (await alice.Events.WaitAsync("rate-limit-exceeded")).Args[0]!;
        Assert.That(exceeded["event"]!.GetValue<string>(), Is.EqualTo("typing"));
        await bob.Events.WaitCountAsync("user:typing", 20);
        var metrics = await AckAsync(alice, "metrics:get", new { });
        Assert.That(metrics["userId"]!.GetValue<string>(), Is.EqualTo("alice"), "other events still pass: typing takes from a bucket of its own");
    }

    [Test]
    public async Task DeletingAMessage_AnnouncesMessageDeleted_OnBothNamespaces()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using var bobDefault = await ConnectAsync(server, "bob", "/");
        var messageId = await SendAsync(alice, conversationId, "oops");
        using var http = Http(server, "alice");
        Assert.That((int)(await http.DeleteAsync($"/v1/messages/{messageId}")).StatusCode, Is.EqualTo(204));
        foreach (var client in new[] { bob, bobDefault })
        {
            var deleted = (await client.Events.WaitAsync("message:deleted")).Args[0]!;
            Assert.That(deleted.ToJsonString(), Is.EqualTo($$"""{"messageId":"{{messageId}}","conversationId":"{{conversationId}}","deletedBy":"alice"}"""));
        }
    }

    [Test]
    public async Task MessagesForAnOfflineUser_AreQueued_DeliveredAsMessageNewOnReconnect_ThenCleared()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await SendAsync(alice, conversationId, "while you were away 1");
        await SendAsync(alice, conversationId, "while you were away 2");
        Assert.That(await server.Store.CountQueuedMessagesAsync("bob", CancellationToken.None), Is.EqualTo(2));
        Assert.That(await server.Store.CountQueuedMessagesAsync("alice", CancellationToken.None), Is.Zero, "the sender is online");

        await using (var bob = await ConnectAsync(server, "bob"))
        {
            var delivered = await bob.Events.WaitCountAsync("message:new", 2);
            Assert.That(delivered.Select(e => e.Args[0]!["content"]!.GetValue<string>()), Is.EqualTo(new[] { "while you were away 1", "while you were away 2" }));
            await TestWait.UntilAsync(() => server.Store.CountQueuedMessagesAsync("bob", CancellationToken.None).Result == 0, "the queue cleared");
            await SendAsync(alice, conversationId, "live");
            await bob.Events.WaitCountAsync("message:new", 3);
        }
        await Task.Delay(300);
        await using var bobAgain = await ConnectAsync(server, "bob");
        await Task.Delay(500);
        Assert.That(bobAgain.Events.Count("message:new"), Is.Zero, "nothing delivered twice");
    }

    [Test]
    public async Task QueuedMessages_ExpireAfterMessageQueueExpiry()
    {
        var clock = new ShiftingClock();
        await using var server = await StartAsync(clock, ("MESSAGE_QUEUE_EXPIRY", "60"));
        var conversationId = await server.CreateChatAsync("alice", "dm", "bob");
        await using (var alice = await ConnectAsync(server, "alice"))
            await SendAsync(alice, conversationId, "stale");
        clock.Advance(TimeSpan.FromSeconds(61));
        await using (var alice = await ConnectAsync(server, "alice"))
            await SendAsync(alice, conversationId, "fresh");
        await using var bob = await ConnectAsync(server, "bob");
        var delivered = await bob.Events.WaitAsync("message:new");
        Assert.That(delivered.Args[0]!["content"]!.GetValue<string>(), Is.EqualTo("fresh"));
        await Task.Delay(300);
        Assert.That(bob.Events.Count("message:new"), Is.EqualTo(1), "the expired one is not delivered");
        Assert.That(await server.Store.CountQueuedMessagesAsync("bob", CancellationToken.None), Is.Zero);
    }
}
