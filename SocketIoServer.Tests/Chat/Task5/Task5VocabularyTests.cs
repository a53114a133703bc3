using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SocketIoServer.Chat.Storage;
using static SocketIoServer.Tests.Chat.Task5.Task5TestKit;

namespace SocketIoServer.Tests.Chat.Task5;

/// <summary>Seed 001's events, acks and refusals against the chat server, on SQLite and on PostgreSQL, with the SocketIOClient package.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed partial class Task5VocabularyTests(string store)
{
    private readonly string _store = store;

    [GeneratedRegex("^[0-9a-f]{24}$")]
    private static partial Regex ObjectId();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex IsoTime();

    [Test]
    public async Task OnConnect_TheSocketGetsOnlineUsers_AndTheRoomsGetUserOnline_ThenUserOffline()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var bob = await ConnectAsync(server, "bob", "Bob B.");
        var bobsList = await bob.Events.WaitAsync("online-users");
        Assert.That(bobsList.Args[0]!.AsArray().Select(n => n!.GetValue<string>()), Does.Contain("bob"), "the user counts as online already");

        var alice = await ConnectAsync(server, "alice", "Alice A.");
        var alicesList = (await alice.Events.WaitAsync("online-users")).Args[0]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.That(alicesList, Is.SupersetOf(new[] { "alice", "bob" }));
        var online = await bob.Events.WaitAsync("user-online");
        Assert.That(online.Args[0]!.ToJsonString(), Is.EqualTo("""{"userId":"alice","username":"Alice A."}"""));

        await SendAsync(alice, roomId, "barrier");
        await bob.Events.WaitAsync("new-message");
        // (bob's own user-online may reach alice if it was still on its way when she joined the room)
        Assert.That(alice.Events.Named("user-online").Where(e => e.Args[0]!["userId"]!.GetValue<string>() == "alice"), Is.Empty,
            "the user's own sockets are left out");

        await alice.DisposeAsync();
        var offline = await bob.Events.WaitAsync("user-offline", timeout: TimeSpan.FromSeconds(6)); // the presence throttle is 2 s
        Assert.That(offline.Args[0]!.ToJsonString(), Is.EqualTo("""{"userId":"alice"}"""));
    }

    [Test]
    public async Task JoinRoom_AcksTheRoomWithMembers_AndTellsTheOthers()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "group", "bob");
        await using var bob = await ConnectAsync(server, "bob");
        await using var alice = await ConnectAsync(server, "alice", "Alice A.");

        var ack = await AckAsync(alice, "join-room", roomId);
        Assert.That(ack.Select(p => p.Key), Is.EqualTo(new[] { "success", "data" }));
        var room = ack["data"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(room["id"]!.GetValue<string>(), Is.EqualTo(roomId));
            Assert.That(room["type"]!.GetValue<string>(), Is.EqualTo("group"));
            Assert.That(room["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()), Is.EquivalentTo(new[] { "alice", "bob" }));
            Assert.That(room["members"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "alice")!["username"]!.GetValue<string>(), Is.EqualTo("Alice A."));
        });

        var joined = await bob.Events.WaitAsync("user-joined");
        Assert.That(joined.Args[0]!.ToJsonString(),
            Is.EqualTo($$$"""{"roomId":"{{{roomId}}}","user":{"id":"alice","username":"Alice A.","avatarUrl":null}}"""));
        AssertSuccess(await AckAsync(alice, "join-room", new { roomId })); // {roomId} is accepted too
        await SendAsync(bob, roomId, "barrier");
        await alice.Events.WaitAsync("new-message");
        Assert.That(alice.Events.Count("user-joined"), Is.Zero, "the joining socket is left out");
    }

    [Test]
    public async Task JoinRoom_ByANonMember_OrOfAnUnknownRoom_IsRefusedInTheSeedsWords()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");

        AssertSeedError(await AckAsync(carol, "join-room", roomId), "Cannot join this room");
        AssertSeedError(await AckAsync(carol, "join-room", "0123456789abcdef01234567"), "Cannot join this room");
        Assert.That(await server.Store.IsMemberAsync(roomId, "carol", CancellationToken.None), Is.False);
        AssertCodedError(await AckAsync(carol, "join-room", 42), "VALIDATION_ERROR");
        AssertCodedError(await AckAsync(carol, "join-room", new { }), "VALIDATION_ERROR");
        AssertCodedError(await AckAsync(carol, "join-room", "   "), "VALIDATION_ERROR");

        await using var alice = await ConnectAsync(server, "alice");
        await SendAsync(alice, roomId, "members only");
        await bob.Events.WaitAsync("new-message");
        Assert.That(bob.Events.Count("user-joined"), Is.Zero, "a refused join announces nothing");
        Assert.That(carol.Events.Count("new-message"), Is.Zero);
        Assert.That(carol.Connected, Is.True);
    }

    [Test]
    public async Task JoinRoom_OfAnOpenRoom_MakesTheUserAMember()
    {
        await using var server = await StartAsync(_store);
        await server.Store.UpsertUserAsync("alice", "alice", CancellationToken.None);
        await server.Store.JoinOpenConversationAsync("LOBBY", "alice", CancellationToken.None);
        await using var alice = await ConnectAsync(server, "alice");
        await using var carol = await ConnectAsync(server, "carol");

        var ack = await AckAsync(carol, "join-room", "LOBBY");
        Assert.That(ack["data"]!["type"]!.GetValue<string>(), Is.EqualTo("open"));
        Assert.That(await server.Store.IsMemberAsync("LOBBY", "carol", CancellationToken.None), Is.True);
        await alice.Events.WaitAsync("user-joined");
        await SendAsync(carol, "LOBBY", "hello lobby");
        var message = await alice.Events.WaitAsync("new-message");
        Assert.That(message.Str("content"), Is.EqualTo("hello lobby"));
    }

    [Test]
    public async Task LeaveRoom_AcksSuccess_TellsTheRoom_AndIsIdempotent()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "group", "bob");
        var otherRoom = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        Assert.That((await AckAsync(bob, "leave-room", roomId)).ToJsonString(), Is.EqualTo("""{"success":true}"""));
        var left = await alice.Events.WaitAsync("user-left");
        Assert.That(left.Args[0]!.ToJsonString(), Is.EqualTo($$"""{"roomId":"{{roomId}}","userId":"bob"}"""));
        Assert.That((await AckAsync(bob, "leave-room", roomId)).ToJsonString(), Is.EqualTo("""{"success":true}"""));
        AssertCodedError(await AckAsync(bob, "leave-room", new JsonArray()), "VALIDATION_ERROR");

        await SendAsync(alice, roomId, "not for bob's socket");
        await SendAsync(alice, otherRoom, "barrier");
        var received = await bob.Events.WaitAsync("new-message");
        Assert.That(received.Str("content"), Is.EqualTo("barrier"));
        Assert.That(alice.Events.Count("user-left"), Is.EqualTo(1), "leaving twice announces once");

        AssertSuccess(await AckAsync(bob, "join-room", roomId));
        await SendAsync(alice, roomId, "back");
        await bob.Events.WaitAsync("new-message", e => e.Str("content") == "back");
    }

    [Test]
    public async Task SendMessage_IsStored_AckedWithTheMessage_AndBroadcastWithoutTheSendingSocket()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice", "Alice A.");
        await using var alicesTablet = await ConnectAsync(server, "alice", "Alice A.");
        await using var bob = await ConnectAsync(server, "bob");

        var ack = await AckAsync(alice, "send-message", new { roomId, content = "Hello, World! 🎉" });
        Assert.That(ack.Select(p => p.Key), Is.EqualTo(new[] { "success", "data" }));
        var message = ack["data"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(message.Select(p => p.Key), Is.EqualTo(new[] { "id", "roomId", "userId", "content", "messageType", "createdAt", "user" }));
            Assert.That(message["id"]!.GetValue<string>(), Does.Match(ObjectId()));
            Assert.That(message["roomId"]!.GetValue<string>(), Is.EqualTo(roomId));
            Assert.That(message["userId"]!.GetValue<string>(), Is.EqualTo("alice"));
            Assert.That(message["content"]!.GetValue<string>(), Is.EqualTo("Hello, World! 🎉"));
            Assert.That(message["messageType"]!.GetValue<string>(), Is.EqualTo("text"));
            Assert.That(message["createdAt"]!.GetValue<string>(), Does.Match(IsoTime()));
            Assert.That(message["user"]!.ToJsonString(), Is.EqualTo("""{"id":"alice","username":"Alice A.","avatarUrl":null}"""));
        });
        var stored = await server.Store.GetMessageAsync(message["id"]!.GetValue<string>(), CancellationToken.None);
        Assert.That(stored!.Body, Is.EqualTo("Hello, World! 🎉"), "stored before the ack");

        var received = await bob.Events.WaitAsync("new-message");
        Assert.That(received.Args[0]!.ToJsonString(), Is.EqualTo(message.ToJsonString()), "the broadcast is the acked message");
        await alicesTablet.Events.WaitAsync("new-message"); // the sender's other devices get it
        var stopped = await bob.Events.WaitAsync("user-stopped-typing");
        Assert.That(stopped.Args[0]!.ToJsonString(), Is.EqualTo($$"""{"roomId":"{{roomId}}","userId":"alice"}"""), "sending clears the typing indicator");

        await SendAsync(bob, roomId, "barrier");
        await alice.Events.WaitAsync("new-message", e => e.Str("content") == "barrier");
        Assert.That(alice.Events.Named("new-message").Select(e => e.Str("content")), Is.EqualTo(new[] { "barrier" }),
            "the sending socket has the message in its ack only");

        var image = await AckAsync(alice, "send-message", new { roomId, content = "https://example.org/cat.png", messageType = "image" });
        Assert.That(image["data"]!["messageType"]!.GetValue<string>(), Is.EqualTo("image"));
        await bob.Events.WaitAsync("new-message", e => e.Str("messageType") == "image");
    }

    [Test]
    public async Task SendMessage_ByANonMember_IsNotARoomMember_AndNothingIsStoredOrBroadcast()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");

        AssertSeedError(await AckAsync(carol, "send-message", new { roomId, content = "intrusion" }), "Not a room member");
        AssertSeedError(await AckAsync(carol, "send-message", new { roomId = "no-such-room", content = "intrusion" }), "Not a room member");

        await using var alice = await ConnectAsync(server, "alice");
        await SendAsync(alice, roomId, "for members");
        await bob.Events.WaitAsync("new-message");
        Assert.That(bob.Events.Named("new-message").Select(e => e.Str("content")), Is.EqualTo(new[] { "for members" }));
        var page = await server.Store.ListMessagesAsync(roomId, "alice", MessageQuery.FromStart(10), CancellationToken.None);
        Assert.That(page.Messages.Select(m => m.Body), Is.EqualTo(new[] { "for members" }));
    }

    [Test]
    public async Task SendMessage_BadInput_IsAValidationError_AndTheConnectionGoesOn()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");

        Assert.That(AssertCodedError(await AckAsync(alice, "send-message", new { roomId }), "VALIDATION_ERROR"), Does.Contain("content"));
        AssertCodedError(await AckAsync(alice, "send-message", new { roomId, content = "" }), "VALIDATION_ERROR");
        AssertCodedError(await AckAsync(alice, "send-message", new { roomId, content = "  \n " }), "VALIDATION_ERROR");
        AssertCodedError(await AckAsync(alice, "send-message", new { roomId, content = 5 }), "VALIDATION_ERROR");
        AssertCodedError(await AckAsync(alice, "send-message", new { roomId, content = new string('x', 8001) }), "VALIDATION_ERROR");
        Assert.That(AssertCodedError(await AckAsync(alice, "send-message", new { content = "hi" }), "VALIDATION_ERROR"), Does.Contain("roomId"));
        AssertCodedError(await AckAsync(alice, "send-message", new { roomId, content = "hi", messageType = 3 }), "VALIDATION_ERROR");
        AssertCodedError(await AckAsync(alice, "send-message", "hello"), "VALIDATION_ERROR");
        await SendAsync(alice, roomId, new string('x', 8000));
        Assert.That(alice.Connected, Is.True);
    }

    [Test]
    public async Task EventsWithoutTheAckCallback_AreStillHandled()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        await alice.EmitAsync("send-message", new { roomId, content = "no callback" });
        await alice.EmitAsync("update-presence", new { status = "away" });
        await alice.EmitAsync("send-message", new { roomId }); // refused, without an answer to send
        await bob.Events.WaitAsync("new-message", e => e.Str("content") == "no callback");
        await bob.Events.WaitAsync("presence-update");
        AssertSuccess(await AckAsync(alice, "leave-room", roomId));
    }

    [Test]
    public async Task MarkRead_StoresReadMarks_AcksTheReceipts_AndTellsTheRoom()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        var m1 = (await SendAsync(bob, roomId, "one"))["id"]!.GetValue<string>();
        var m2 = (await SendAsync(bob, roomId, "two"))["id"]!.GetValue<string>();

        var ack = await AckAsync(alice, "mark-read", new List<string> { m1, m2, m1 });
        Assert.That(ack.Select(p => p.Key), Is.EqualTo(new[] { "success", "data" }));
        var receipts = ack["data"]!.AsArray();
        Assert.That(receipts.Select(r => r!["messageId"]!.GetValue<string>()), Is.EqualTo(new[] { m1, m2 }));
        Assert.That(receipts[0]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "messageId", "roomId", "userId", "readAt" }));
        Assert.That(receipts[0]!["roomId"]!.GetValue<string>(), Is.EqualTo(roomId));
        Assert.That(receipts[0]!["userId"]!.GetValue<string>(), Is.EqualTo("alice"));
        Assert.That(receipts[0]!["readAt"]!.GetValue<string>(), Does.Match(IsoTime()));

        var read = await bob.Events.WaitAsync("messages-read");
        Assert.That(read.Args[0]!.ToJsonString(), Is.EqualTo($$"""{"userId":"alice","messageIds":["{{m1}}","{{m2}}"]}"""));
        var marks = await server.Store.ListReadMarksAsync([m1, m2], CancellationToken.None);
        Assert.That(marks.Select(m => (m.MessageId, m.UserId)), Is.EquivalentTo(new[] { (m1, "alice"), (m2, "alice") }));

        // an unknown id among known ones is left out; nothing but unknown ones is the membership refusal
        var mixed = await AckAsync(alice, "mark-read", new List<string> { m1, "0123456789abcdef01234567" });
        Assert.That(mixed["data"]!.AsArray().Select(r => r!["messageId"]!.GetValue<string>()), Is.EqualTo(new[] { m1 }));
        Assert.That((await AckAsync(alice, "mark-read", new List<string>())).ToJsonString(), Is.EqualTo("""{"success":true,"data":[]}"""));
        await SendAsync(alice, roomId, "barrier");
        await bob.Events.WaitAsync("new-message");
        Assert.That(alice.Events.Count("messages-read"), Is.Zero, "the reader's socket is left out");
    }

    [Test]
    public async Task MarkRead_OfOthersMessages_IsRefused_AndBadInputIsAValidationError()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");
        var m1 = (await SendAsync(alice, roomId, "private"))["id"]!.GetValue<string>();

        AssertSeedError(await AckAsync(carol, "mark-read", new List<string> { m1 }), "Not a room member");
        Assert.That(await server.Store.ListReadMarksAsync([m1], CancellationToken.None), Is.Empty);
        AssertCodedError(await AckAsync(carol, "mark-read", m1), "VALIDATION_ERROR");
        AssertCodedError(await AckAsync(carol, "mark-read", new List<object> { m1, 5 }), "VALIDATION_ERROR");
        AssertCodedError(await AckAsync(carol, "mark-read", Enumerable.Range(0, 1001).Select(i => $"id{i}").ToList()), "VALIDATION_ERROR");

        await SendAsync(bob, roomId, "barrier");
        await alice.Events.WaitAsync("new-message");
        Assert.That(alice.Events.Count("messages-read"), Is.Zero);
    }

    [Test]
    public async Task UpdatePresence_AcksSuccess_AndTellsTheUsersRooms()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");

        Assert.That((await AckAsync(alice, "update-presence", new { status = "away" })).ToJsonString(), Is.EqualTo("""{"success":true}"""));
        var update = await bob.Events.WaitAsync("presence-update");
        Assert.That(update.Args[0]!.ToJsonString(), Is.EqualTo("""{"userId":"alice","status":"away"}"""));
        AssertCodedError(await AckAsync(alice, "update-presence", new { status = 5 }), "VALIDATION_ERROR");
        AssertCodedError(await AckAsync(alice, "update-presence", new { status = new string('x', 65) }), "VALIDATION_ERROR");

        await SendAsync(alice, roomId, "barrier");
        await bob.Events.WaitAsync("new-message");
        Assert.That(carol.Events.Count("presence-update"), Is.Zero, "only the user's rooms hear it");
        Assert.That(alice.Events.Count("presence-update"), Is.Zero, "the sending socket is left out");
    }

    [Test]
    public async Task OtherVocabularies_Messages_ReachThisOne_AndTheOtherWayRound()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        var famly = await AckAsync(bob, "message:send", new { chatId = roomId, body = "from seed 002", clientId = Guid.NewGuid().ToString() });
        Assert.That(famly["ok"]!.GetValue<bool>(), Is.True);
        var received = await alice.Events.WaitAsync("new-message");
        Assert.That(received.Str("content"), Is.EqualTo("from seed 002"));
        Assert.That(received.Str("id"), Is.EqualTo(famly["data"]!["serverId"]!.GetValue<string>()));
        Assert.That(received.Str("messageType"), Is.EqualTo("text"));

        var sent = await SendAsync(alice, roomId, "from seed 001");
        var famlyReceived = await bob.Events.WaitAsync("message:new", e => e.Str("body") == "from seed 001");
        Assert.That(famlyReceived.Str("_id"), Is.EqualTo(sent["id"]!.GetValue<string>()));
    }
}
