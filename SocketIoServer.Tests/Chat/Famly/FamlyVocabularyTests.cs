using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Support;
using static SocketIoServer.Tests.Chat.Famly.FamlyTestKit;

namespace SocketIoServer.Tests.Chat.Famly;

/// <summary>Seed 002's events, acks and error codes against the chat server on SQLite, with the SocketIOClient package.</summary>
[TestFixture]
public sealed partial class FamlyVocabularyTests
{
    [GeneratedRegex("^[0-9a-f]{24}$")]
    private static partial Regex ObjectId();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex IsoTime();

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task JoinSendAndReceive_WithSeed002sShapes(ClientTransport transport)
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice", transport);
        await using var bob = await ConnectAsync(server, "bob", transport);

        Assert.That((await AckAsync(alice, "room:join", new { chatId })).ToJsonString(), Is.EqualTo("""{"ok":true}"""));
        var clientId = Guid.NewGuid().ToString();
        var ack = await AckAsync(alice, "message:send", new { chatId, body = "Hello, World! 🎉", clientId });
        Assert.That(ack.Select(p => p.Key), Is.EqualTo(new[] { "ok", "data" }));
        Assert.That(ack["data"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "clientId", "serverId" }));
        Assert.That(ack["data"]!["clientId"]!.GetValue<string>(), Is.EqualTo(clientId));
        var serverId = ack["data"]!["serverId"]!.GetValue<string>();
        Assert.That(serverId, Does.Match(ObjectId()));

        var message = (await bob.Events.WaitAsync("message:new")).Args[0]!.AsObject();
        Assert.Multiple(() =>
        {
            // seed 002's fields, then seed 003's names for the same message (CONTRACTS.md section 6)
            Assert.That(message.Select(p => p.Key), Is.EqualTo(new[] { "chatId", "_id", "body", "senderId", "createdAt", "clientId", "conversationId", "content" }));
            Assert.That(message["chatId"]!.GetValue<string>(), Is.EqualTo(chatId));
            Assert.That(message["_id"]!.GetValue<string>(), Is.EqualTo(serverId));
            Assert.That(message["body"]!.GetValue<string>(), Is.EqualTo("Hello, World! 🎉"));
            Assert.That(message["senderId"]!.GetValue<string>(), Is.EqualTo("alice"));
            Assert.That(message["createdAt"]!.GetValue<string>(), Does.Match(IsoTime()));
            Assert.That(message["clientId"]!.GetValue<string>(), Is.EqualTo(clientId));
        });
        await alice.Events.WaitAsync("message:new"); // the sender's own sockets get it too
        Assert.That((await server.Store.GetMessageAsync(serverId, CancellationToken.None))!.Body, Is.EqualTo("Hello, World! 🎉"), "stored before the ack");
    }

    [Test]
    public async Task BadPayloads_AreValidationErrors()
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");

        AssertError(await AckAsync(alice, "room:join", new { }), "VALIDATION_ERROR");
        AssertError(await AckAsync(alice, "room:join", new { chatId = 42 }), "VALIDATION_ERROR");
        AssertError(await AckAsync(alice, "room:join", "not an object"), "VALIDATION_ERROR");
        AssertError(await AckAsync(alice, "message:send", new { chatId, body = "", clientId = "c1" }), "VALIDATION_ERROR");
        AssertError(await AckAsync(alice, "message:send", new { chatId, body = new string('x', 8001), clientId = "c2" }), "VALIDATION_ERROR");
        AssertError(await AckAsync(alice, "message:send", new { chatId, body = 5, clientId = "c3" }), "VALIDATION_ERROR");
        Assert.That(AssertError(await AckAsync(alice, "message:send", new { chatId, body = "hi" }), "VALIDATION_ERROR"), Does.Contain("clientId"));
        AssertError(await AckAsync(alice, "receipt:read", new { chatId }), "VALIDATION_ERROR");
        AssertOk(await AckAsync(alice, "message:send", new { chatId, body = new string('x', 8000), clientId = "c4" }));
        AssertOk(await AckAsync(alice, "message:send", new { chatId, body = " ", clientId = "c5" }));
        Assert.That(alice.Connected, Is.True, "bad input leaves the connection working");
    }

    [Test]
    public async Task NonMembers_AreForbidden_AndLearnNothing()
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");

        var joinMessage = AssertError(await AckAsync(carol, "room:join", new { chatId }), "FORBIDDEN");
        var unknownMessage = AssertError(await AckAsync(carol, "room:join", new { chatId = "0123456789abcdef01234567" }), "FORBIDDEN");
        Assert.That(unknownMessage, Is.EqualTo(joinMessage), "an unknown chat and a chat of others look the same");
        AssertError(await AckAsync(carol, "message:send", new { chatId, body = "intrusion", clientId = "x" }), "FORBIDDEN");
        AssertError(await AckAsync(carol, "receipt:read", new { chatId, messageId = "0123456789abcdef01234567" }), "FORBIDDEN");

        await using var alice = await ConnectAsync(server, "alice");
        await SendAsync(alice, chatId, "for members");
        await bob.Events.WaitAsync("message:new", e => e.Args[0]!["body"]!.GetValue<string>() == "for members");
        Assert.That(bob.Events.Count("message:new"), Is.EqualTo(1), "the refused message was never broadcast");
        Assert.That(carol.Events.Count("message:new"), Is.Zero);
        var page = await server.Store.ListMessagesAsync(chatId, "alice", global::SocketIoServer.Chat.Storage.MessageQuery.FromStart(10), CancellationToken.None);
        Assert.That(page.Messages.Select(m => m.Body), Is.EqualTo(new[] { "for members" }));
    }

    [Test]
    public async Task ARetriedClientId_AfterARestart_ReturnsTheSameServerId_AndBroadcastsOnce()
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "dm", "bob");
        var clientId = Guid.NewGuid().ToString();
        string first;
        await using (var alice = await ConnectAsync(server, "alice"))
        await using (var bob = await ConnectAsync(server, "bob"))
        {
            first = await SendAsync(alice, chatId, "Hello", clientId);
            Assert.That(await SendAsync(alice, chatId, "Hello", clientId), Is.EqualTo(first), "a retry before the restart");
            await bob.Events.WaitAsync("message:new");
        }

        await server.RestartAsync();
        await using var alice2 = await ConnectAsync(server, "alice");
        await using var bob2 = await ConnectAsync(server, "bob");
        Assert.That(await SendAsync(alice2, chatId, "Hello", clientId), Is.EqualTo(first), "same serverId after the restart");
        var marker = await SendAsync(alice2, chatId, "marker");
        await bob2.Events.WaitAsync("message:new", e => e.Args[0]!["_id"]!.GetValue<string>() == marker);
        Assert.That(bob2.Events.Named("message:new").Select(e => e.Args[0]!["body"]!.GetValue<string>()), Is.EqualTo(new[] { "marker" }),
            "the retry was not broadcast again");
    }

    [Test]
    public async Task TheEleventhMessageInTenSeconds_IsRateLimited_AcrossDevices_AndTheFirstAfterTheWindowPasses()
    {
        var clock = new ManualTimeProvider();
        await using var server = await ChatTestServer.StartAsync(configure: b =>
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(b.Services, clock));
        var chatId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var phone = await ConnectAsync(server, "alice");
        await using var laptop = await ConnectAsync(server, "alice");

        for (var i = 0; i < 10; i++) await SendAsync(i % 2 == 0 ? phone : laptop, chatId, "m" + i);
        var refused = await AckAsync(laptop, "message:send", new { chatId, body = "eleventh", clientId = "c11" });
        Assert.That(AssertError(refused, "RATE_LIMITED"), Is.EqualTo("Maximum 10 messages per 10 seconds"));

        clock.Advance(TimeSpan.FromSeconds(10));
        await SendAsync(phone, chatId, "after the window");
        var page = await server.Store.ListMessagesAsync(chatId, "alice", global::SocketIoServer.Chat.Storage.MessageQuery.FromStart(50), CancellationToken.None);
        Assert.That(page.Messages.Select(m => m.Body), Does.Not.Contain("eleventh"), "a rate-limited message is not stored");
        Assert.That(page.Messages, Has.Count.EqualTo(11));
    }

    [Test]
    public async Task Receipts_MoveForwardOnly()
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        var m1 = await SendAsync(alice, chatId, "one");
        var m2 = await SendAsync(alice, chatId, "two");

        var ack = await AckAsync(bob, "receipt:read", new { chatId, messageId = m2 });
        Assert.That(ack["data"]!["readAt"]!.GetValue<string>(), Does.Match(IsoTime()));
        var receipt = (await alice.Events.WaitAsync("receipt:update")).Args[0]!.AsObject();
        Assert.That(receipt.Select(p => p.Key), Is.EqualTo(new[] { "chatId", "messageId", "userId", "readAt" }));
        Assert.That(receipt["messageId"]!.GetValue<string>(), Is.EqualTo(m2));
        Assert.That(receipt["userId"]!.GetValue<string>(), Is.EqualTo("bob"));

        AssertOk(await AckAsync(bob, "receipt:read", new { chatId, messageId = m1 }));
        Assert.That((await server.Store.GetReadCursorAsync(chatId, "bob", CancellationToken.None))!.MessageId, Is.EqualTo(m2), "an older message does not move the cursor");
        AssertError(await AckAsync(bob, "receipt:read", new { chatId, messageId = "0123456789abcdef01234567" }), "NOT_FOUND");

        var m3 = await SendAsync(alice, chatId, "three");
        AssertOk(await AckAsync(bob, "receipt:read", new { chatId, messageId = m3 }));
        await alice.Events.WaitCountAsync("receipt:update", 2);
        Assert.That(alice.Events.Named("receipt:update").Select(e => e.Args[0]!["messageId"]!.GetValue<string>()), Is.EqualTo(new[] { m2, m3 }),
            "the receipt that did not move the cursor broadcast nothing");
    }

    [Test]
    public async Task Typing_GoesToTheOthers_AndNonMembersAreSilentlyIgnored()
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");

        await carol.EmitAsync("typing:start", new { chatId });
        await carol.EmitAsync("typing:start", new { });
        await alice.EmitAsync("typing:start", new { chatId });
        await alice.EmitAsync("typing:stop", new { chatId });
        var updates = await bob.Events.WaitCountAsync("typing:update", 2);
        Assert.That(updates.Select(e => e.Args[0]!.ToJsonString()), Is.EqualTo(new[]
        {
            $$"""{"chatId":"{{chatId}}","userId":"alice","state":"start"}""",
            $$"""{"chatId":"{{chatId}}","userId":"alice","state":"stop"}""",
        }), "carol's typing was ignored");
        await SendAsync(alice, chatId, "barrier");
        await alice.Events.WaitAsync("message:new");
        Assert.That(alice.Events.Count("typing:update"), Is.Zero, "the typist does not hear itself");
        Assert.That(carol.Connected, Is.True);
    }

    [Test]
    public async Task AStoreFailure_IsAnInternalError_WithACorrelationId_AndTheConnectionGoesOn()
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        // break the store under the server: the messages table is gone
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "chat.db")}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE messages";
            await drop.ExecuteNonQueryAsync();
        }

        var ack = await AckAsync(alice, "message:send", new { chatId, body = "lost?", clientId = "c1" });
        Assert.That(AssertError(ack, "INTERNAL"), Is.EqualTo("Internal server error"), "no internals leak to the client");
        AssertOk(await AckAsync(alice, "presence:ping", new { }));
        Assert.That(alice.Events.Count("message:new"), Is.Zero, "nothing broadcast that was not stored");
    }

    [Test]
    public async Task PresencePing_AnswersServerTime()
    {
        await using var server = await ChatTestServer.StartAsync();
        await using var alice = await ConnectAsync(server, "alice");
        var ack = await AckAsync(alice, "presence:ping", new { });
        Assert.That(ack["data"]!["serverTime"]!.GetValue<string>(), Does.Match(IsoTime()));
        var user = (await server.Store.GetUsersAsync(["alice"], CancellationToken.None)).Single();
        Assert.That(user.LastSeenAt, Is.Not.Null);
    }

    [Test]
    public async Task TwoDevices_OfflineOnlyAfterBothDisconnect()
    {
        await using var server = await ChatTestServer.StartAsync();
        await server.CreateChatAsync("alice", "dm", "bob");
        await using var bob = await ConnectAsync(server, "bob");
        var phone = await ConnectAsync(server, "alice");
        var laptop = await ConnectAsync(server, "alice");

        var online = (await bob.Events.WaitAsync("presence:update")).Args[0]!.AsObject();
        Assert.That(online.Select(p => p.Key), Is.EqualTo(new[] { "userId", "status", "timestamp" }));
        Assert.That(online["status"]!.GetValue<string>(), Is.EqualTo("online"));
        await phone.DisposeAsync();
        await Task.Delay(2500); // past the 2 s throttle: an offline report would have come
        Assert.That(bob.Events.Named("presence:update").Select(e => e.Args[0]!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "online" }),
            "still online on the laptop");
        await laptop.DisposeAsync();
        var offline = await bob.Events.WaitAsync("presence:update", e => e.Args[0]!["status"]!.GetValue<string>() == "offline");
        Assert.That(offline.Args[0]!["userId"]!.GetValue<string>(), Is.EqualTo("alice"));
    }

    [Test]
    public async Task APresenceStorm_SendsAtMostOneBroadcastPerTwoSeconds()
    {
        await using var server = await ChatTestServer.StartAsync();
        await server.CreateChatAsync("alice", "dm", "bob");
        await using var bob = await ConnectAsync(server, "bob");
        var started = DateTime.UtcNow;
        for (var i = 0; i < 6; i++)
        {
            var device = await ConnectAsync(server, "alice");
            await device.DisposeAsync();
        }
        var stormTook = DateTime.UtcNow - started;
        await bob.Events.WaitAsync("presence:update", e => e.Args[0]!["status"]!.GetValue<string>() == "offline", TimeSpan.FromSeconds(8));
        var updates = bob.Events.Named("presence:update");
        // one report per started 2 s of storm, plus the final status
        Assert.That(updates, Has.Count.LessThanOrEqualTo((int)(stormTook.TotalSeconds / 2) + 2), string.Join(", ", updates.Select(u => u.ArgsJson)));
        Assert.That(updates[^1].Args[0]!["status"]!.GetValue<string>(), Is.EqualTo("offline"), "the last word is the truth");
    }

    [Test]
    public async Task RoomLeave_StopsTheChatsBroadcasts_AndIsIdempotent()
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "group", "bob");
        var otherChat = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        AssertOk(await AckAsync(bob, "room:leave", new { chatId }));
        AssertOk(await AckAsync(bob, "room:leave", new { chatId }));
        await SendAsync(alice, chatId, "not for bob's socket");
        await SendAsync(alice, otherChat, "barrier");
        var received = await bob.Events.WaitAsync("message:new");
        Assert.That(received.Args[0]!["body"]!.GetValue<string>(), Is.EqualTo("barrier"));
        AssertOk(await AckAsync(bob, "room:join", new { chatId }));
        await SendAsync(alice, chatId, "back");
        await bob.Events.WaitAsync("message:new", e => e.Args[0]!["body"]!.GetValue<string>() == "back");
    }

    [Test]
    public async Task ChatUpdates_ReachEveryMember_AndAnAddedMemberHearsTheChatAtOnce()
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using var dave = await ConnectAsync(server, "dave");

        using var http = server.Http("alice");
        var patched = await http.PatchAsync($"/v1/chats/{chatId}", ChatTestServer.JsonContent(new JsonObject { ["title"] = "Renamed" }));
        Assert.That((int)patched.StatusCode, Is.EqualTo(200));
        var update = (await bob.Events.WaitAsync("chat:update")).Args[0]!["chat"]!.AsObject();
        Assert.That(update.Select(p => p.Key), Is.EqualTo(new[] { "_id", "type", "title", "memberIds", "createdBy", "createdAt", "updatedAt" }));
        Assert.That(update["title"]!.GetValue<string>(), Is.EqualTo("Renamed"));

        var added = await http.PostAsync($"/v1/chats/{chatId}/members", ChatTestServer.JsonContent(new JsonObject { ["userId"] = "dave" }));
        Assert.That((int)added.StatusCode, Is.EqualTo(200));
        await dave.Events.WaitAsync("chat:update");
        await SendAsync(alice, chatId, "welcome dave");
        await dave.Events.WaitAsync("message:new", e => e.Args[0]!["body"]!.GetValue<string>() == "welcome dave");

        var removed = await http.DeleteAsync($"/v1/chats/{chatId}/members/dave");
        Assert.That((int)removed.StatusCode, Is.EqualTo(200));
        await dave.Events.WaitCountAsync("chat:update", 2);
        AssertError(await AckAsync(dave, "message:send", new { chatId, body = "still here?", clientId = "d1" }), "FORBIDDEN");
    }

    [TestCase("/")]
    [TestCase("/messages")]
    [TestCase("/notifications")]
    public async Task EveryNamespace_RefusesAMissingOrBadToken(string nsp)
    {
        await using var server = await ChatTestServer.StartAsync();
        foreach (var auth in new object[] { new { }, new { token = "garbage" }, new { token = new global::SocketIoServer.Chat.Auth.Hs256Jwt("wrong").Issue(new JsonObject { ["sub"] = "x" }) } })
        {
            await using var client = TestClient.Create(server.Url, ClientTransport.WebSocket, nsp, auth);
            Assert.That(await client.ConnectExpectingErrorAsync(), Is.EqualTo("Authentication error"));
        }
        await using var good = await ConnectAsync(server, "alice", nsp: nsp);
        Assert.That(good.Connected, Is.True);
    }
}
