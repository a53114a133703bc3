using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Tests.Chat.Storage;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Support;
using static SocketIoServer.Tests.Chat.WhisperSpace.WhisperTestKit;

namespace SocketIoServer.Tests.Chat.WhisperSpace;

/// <summary>Seed 000's events, errors and limits against the chat server on SQLite and on PostgreSQL, with the SocketIOClient package.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed partial class WhisperSpaceVocabularyTests(string store)
{
    [GeneratedRegex(@"^\d{13}-[0-9a-z]{9}$")]
    private static partial Regex SeedMessageId();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex IsoTime();

    private string? _databaseUrl;

    private async Task<ChatTestServer> StartAsync(Action<WebApplicationBuilder>? configure = null)
    {
        _databaseUrl = store == "postgres" ? (await PostgresTestServer.NewSchemaAsync()).ConnectionString : null;
        return await ChatTestServer.StartAsync(_databaseUrl, configure);
    }

    /// <summary>Rows in the store's messages table, read with SQL so that nothing the API hides escapes.</summary>
    private async Task<long> StoredMessageCountAsync(ChatTestServer server)
    {
        if (_databaseUrl is not null)
        {
            await using var pg = new Npgsql.NpgsqlConnection(_databaseUrl);
            await pg.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM messages", pg);
            return (long)(await command.ExecuteScalarAsync())!;
        }
        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "chat.db")}");
        await sqlite.OpenAsync();
        await using var count = sqlite.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM messages";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task JoinRoom_NormalizesTheCode_ConfirmsIt_AndAnnouncesWhoIsIn(ClientTransport transport)
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice", "Alice", transport);
        await using var bob = await ConnectAsync(server, "bob", "Bob", transport);

        await alice.EmitAsync("join_room", "  night-owls ");
        var joined = await alice.Events.WaitAsync("joined_room");
        Assert.That(joined.ArgsJson, Is.EqualTo("""["NIGHT-OWLS"]"""), "the normalized code, as a bare string");
        var first = (await alice.Events.WaitAsync("users_online")).Args[0]!.AsArray();
        Assert.That(first.ToJsonString(), Is.EqualTo($$$"""[{"socketId":"{{{alice.Id}}}","username":"Alice","userId":"alice","rooms":{}}]"""));

        await JoinAsync(bob, "Night-Owls", "bob");
        var both = await UsersOnlineAsync(alice, users => users.Count == 2);
        Assert.That(UserIds(both), Is.EqualTo(new[] { "alice", "bob" }));
        Assert.That(both.Single(u => u!["userId"]!.GetValue<string>() == "bob")!.ToJsonString(),
            Is.EqualTo($$$"""{"socketId":"{{{bob.Id}}}","username":"Bob","userId":"bob","rooms":{}}"""));

        var room = await server.Store.GetConversationAsync("NIGHT-OWLS", CancellationToken.None);
        Assert.That(room!.Kind, Is.EqualTo(ConversationKind.Open));
        Assert.That(room.MemberIds, Is.EquivalentTo(new[] { "alice", "bob" }));
    }

    [Test]
    public async Task Presence_CountsAUserOnce_AndFollowsLeaveAndDisconnect()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice");
        var phone = await ConnectAsync(server, "bob");
        await using var laptop = await ConnectAsync(server, "bob");
        await JoinAsync(alice, "lobby", "alice");
        await JoinAsync(phone, "lobby", "bob");
        await JoinAsync(laptop, "LOBBY", "bob");
        var listed = (await alice.Events.WaitCountAsync("users_online", 3))[2].Args[0]!.AsArray();
        Assert.That(UserIds(listed), Is.EqualTo(new[] { "alice", "bob" }), "bob's two sockets count once");

        await laptop.EmitAsync("leave_room", "lobby");
        Assert.That((await laptop.Events.WaitAsync("left_room")).ArgsJson, Is.EqualTo("""["LOBBY"]"""));
        var afterLeave = (await alice.Events.WaitCountAsync("users_online", 4))[3].Args[0]!.AsArray();
        Assert.That(UserIds(afterLeave), Is.EqualTo(new[] { "alice", "bob" }), "still in through the phone");
        Assert.That((await server.Store.GetConversationAsync("LOBBY", CancellationToken.None))!.MemberIds, Does.Contain("bob"));

        await phone.DisposeAsync();
        var afterDisconnect = (await alice.Events.WaitCountAsync("users_online", 5))[4].Args[0]!.AsArray();
        Assert.That(UserIds(afterDisconnect), Is.EqualTo(new[] { "alice" }));
        await EventuallyAsync(async () => !(await server.Store.GetConversationAsync("LOBBY", CancellationToken.None))!.MemberIds.Contains("bob"),
            "bob is no longer a member once his last socket left");

        // a new socket of bob's is not put back into the room on connect: he left it
        await using var again = await ConnectAsync(server, "bob");
        await alice.EmitAsync("send_message", new { content = "only alice", room = "lobby" });
        await alice.Events.WaitAsync("new_message");
        await JoinAsync(again, "other", "bob");
        Assert.That(again.Events.Count("new_message"), Is.Zero);
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task SendMessage_ReachesTheWholeRoom_InTheSeedsShape_AndIsNeverStored(ClientTransport transport)
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice", "Alice", transport);
        await using var bob = await ConnectAsync(server, "bob", "Bob", transport);
        await using var carol = await ConnectAsync(server, "carol", "Carol", transport);
        await JoinAsync(alice, "abc", "alice");
        await JoinAsync(bob, "abc", "bob");
        await JoinAsync(carol, "elsewhere", "carol");

        await alice.EmitAsync("send_message", new { content = "  Hello, World! 🎉  ", room = " abc", messageType = "text" });
        var received = (await bob.Events.WaitAsync("new_message")).Args[0]!.AsObject();
        var own = (await alice.Events.WaitAsync("new_message")).Args[0]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(p => p.Key), Is.EqualTo(new[] { "_id", "content", "sender", "room", "messageType", "createdAt", "isEdited" }));
            Assert.That(received["_id"]!.GetValue<string>(), Does.Match(SeedMessageId()));
            Assert.That(received["content"]!.GetValue<string>(), Is.EqualTo("Hello, World! 🎉"), "trimmed");
            Assert.That(received["sender"]!.ToJsonString(), Is.EqualTo("""{"_id":"alice","username":"Alice","isOnline":true}"""));
            Assert.That(received["room"]!.GetValue<string>(), Is.EqualTo("ABC"));
            Assert.That(received["messageType"]!.GetValue<string>(), Is.EqualTo("text"));
            Assert.That(received["createdAt"]!.GetValue<string>(), Does.Match(IsoTime()));
            Assert.That(received["isEdited"]!.GetValue<bool>(), Is.False);
            Assert.That(own.ToJsonString(), Is.EqualTo(received.ToJsonString()), "the sender gets the same message");
        });

        await alice.EmitAsync("send_message", new { content = "system note", room = "ABC", messageType = "system" });
        await alice.EmitAsync("send_message", new { content = "odd type", room = "ABC", messageType = "image" });
        var later = await bob.Events.WaitCountAsync("new_message", 3);
        Assert.That(later.Select(e => e.Args[0]!["messageType"]!.GetValue<string>()), Is.EqualTo(new[] { "text", "system", "text" }));
        Assert.That(carol.Events.Count("new_message"), Is.Zero, "another room hears nothing");

        Assert.That(await StoredMessageCountAsync(server), Is.Zero, "ephemeral: nothing in the store");
        var page = await server.Store.ListMessagesAsync("ABC", "alice", MessageQuery.FromStart(50), CancellationToken.None);
        Assert.That(page.Messages, Is.Empty);
    }

    [Test]
    public async Task Typing_GoesToTheOthersInTheRoom_NotTheTypist()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice", "Alice");
        await using var bob = await ConnectAsync(server, "bob", "Bob");
        await JoinAsync(alice, "abc", "alice");
        await JoinAsync(bob, "abc", "bob");

        await alice.EmitAsync("typing_start", new { room = "abc" });
        await alice.EmitAsync("typing_start", new { });
        await alice.EmitAsync("typing_start", "abc");
        await alice.EmitAsync("typing_stop", new { room = " ABC " });
        var start = await bob.Events.WaitAsync("user_typing");
        var stop = await bob.Events.WaitAsync("user_stop_typing");
        Assert.That(start.ArgsJson, Is.EqualTo("""[{"username":"Alice","userId":"alice"}]"""));
        Assert.That(stop.ArgsJson, Is.EqualTo("""[{"username":"Alice","userId":"alice"}]"""));

        await alice.EmitAsync("send_message", new { content = "barrier", room = "abc" });
        await alice.Events.WaitAsync("new_message");
        await bob.Events.WaitAsync("new_message");
        Assert.Multiple(() =>
        {
            Assert.That(alice.Events.Count("user_typing") + alice.Events.Count("user_stop_typing"), Is.Zero, "the typist does not hear itself");
            Assert.That(bob.Events.Count("user_typing"), Is.EqualTo(1), "payloads without a room object are ignored");
            Assert.That(alice.Events.Count("error") + bob.Events.Count("error"), Is.Zero, "typing never answers with an error");
        });
    }

    [Test]
    public async Task BadInput_GetsTheSeedsErrors_AndTheConnectionGoesOn()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice");
        await JoinAsync(alice, "abc", "alice");

        var cases = new (string Event, object Payload, string Message)[]
        {
            ("join_room", "", "Room code is required"),
            ("join_room", "   ", "Room code is required"),
            ("join_room", 42, "Room code is required"),
            ("leave_room", "", "Room code is required"),
            ("send_message", new { room = "abc" }, "Invalid content"),
            ("send_message", new { content = "", room = "abc" }, "Invalid content"),
            ("send_message", new { content = 5, room = "abc" }, "Invalid content"),
            ("send_message", "just a string", "Invalid content"),
            ("send_message", new { content = " \n\t ", room = "abc" }, "Message required"),
            ("send_message", new { content = new string('x', 5001), room = "abc" }, "Message too long (max 5000 chars)"),
            ("send_message", new { content = "hi" }, "Room required"),
            ("send_message", new { content = "hi", room = "  " }, "Room required"),
        };
        for (var i = 0; i < cases.Length; i++)
        {
            await alice.EmitAsync(cases[i].Event, cases[i].Payload);
            var error = await NextErrorAsync(alice, i);
            Assert.That(error.ToJsonString(), Is.EqualTo(new JsonObject { ["message"] = cases[i].Message }.ToJsonString()), $"{cases[i].Event} {cases[i].Payload}");
        }

        // where the seed is silent: the error event with a code from seed 002's list
        await alice.EmitAsync("send_message", new { content = "hi", room = "nobody-here" });
        Assert.That((await NextErrorAsync(alice, cases.Length)).ToJsonString(), Is.EqualTo("""{"message":"Room not found","code":"NOT_FOUND"}"""));
        await alice.EmitAsync("join_room", new string('r', 129));
        Assert.That((await NextErrorAsync(alice, cases.Length + 1)).ToJsonString(),
            Is.EqualTo("""{"message":"Room code too long (max 128 chars)","code":"VALIDATION_ERROR"}"""));

        // 5000 characters after trimming is within the limit
        await alice.EmitAsync("send_message", new { content = "  " + new string('x', 5000) + "  ", room = "abc" });
        var message = await alice.Events.WaitAsync("new_message");
        Assert.That(message.Args[0]!["content"]!.GetValue<string>(), Has.Length.EqualTo(5000));
        Assert.That(alice.Events.Count("new_message"), Is.EqualTo(1), "no refused message was delivered");
        Assert.That(alice.Connected, Is.True);
        Assert.That(await StoredMessageCountAsync(server), Is.Zero);
    }

    [Test]
    public async Task Content_IsSanitizedBeforeItIsSent()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await JoinAsync(alice, "abc", "alice");
        await JoinAsync(bob, "abc", "bob");

        await alice.EmitAsync("send_message", new { content = "<script>steal()</script>hi <iframe src=\"x\"></iframe><a href=\"JavaScript:go()\" onclick = \"x\">link</a>", room = "abc" });
        var message = await bob.Events.WaitAsync("new_message");
        Assert.That(message.Args[0]!["content"]!.GetValue<string>(), Is.EqualTo("hi <a href=\"go()\"  \"x\">link</a>"));
    }

    [Test]
    public async Task The31stMessageInAMinute_IsRefused_AcrossSockets_OnlySendMessageCounts_AndTheWindowPasses()
    {
        var clock = new ManualTimeProvider();
        await using var server = await StartAsync(b => b.Services.AddSingleton<TimeProvider>(clock));
        await using var phone = await ConnectAsync(server, "alice");
        await using var laptop = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await JoinAsync(phone, "abc", "alice");
        await JoinAsync(laptop, "abc", "alice");
        await JoinAsync(bob, "abc", "bob");
        for (var i = 0; i < 40; i++) await phone.EmitAsync(i % 2 == 0 ? "typing_start" : "typing_stop", new { room = "abc" });

        for (var i = 0; i < 30; i++) await (i % 2 == 0 ? phone : laptop).EmitAsync("send_message", new { content = "m" + i, room = "abc" });
        await bob.Events.WaitCountAsync("new_message", 30);
        await laptop.EmitAsync("send_message", new { content = "thirty-first", room = "abc" });
        Assert.That((await NextErrorAsync(laptop, 0)).ToJsonString(), Is.EqualTo("""{"message":"Too many messages. Slow down."}"""));
        await bob.EmitAsync("send_message", new { content = "bob is not limited by alice", room = "abc" });
        await bob.Events.WaitAsync("new_message", e => e.Args[0]!["content"]!.GetValue<string>() == "bob is not limited by alice");

        clock.Advance(TimeSpan.FromMinutes(1));
        await phone.EmitAsync("send_message", new { content = "after the window", room = "abc" });
        await bob.Events.WaitAsync("new_message", e => e.Args[0]!["content"]!.GetValue<string>() == "after the window");
        Assert.That(bob.Events.Named("new_message").Select(e => e.Args[0]!["content"]!.GetValue<string>()), Does.Not.Contain("thirty-first"));
        Assert.That(phone.Events.Count("error"), Is.Zero);
    }

    [Test]
    public async Task ASocketOutsideAnOpenRoom_MaySendAndTypeThere_AsInTheSeed_ButNotIntoANonRoom()
    {
        await using var server = await StartAsync();
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol", "Carol");
        await JoinAsync(bob, "abc", "bob");

        await carol.EmitAsync("typing_start", new { room = "abc" });
        Assert.That((await bob.Events.WaitAsync("user_typing")).ArgsJson, Is.EqualTo("""[{"username":"Carol","userId":"carol"}]"""));
        await carol.EmitAsync("send_message", new { content = "from outside", room = "abc" });
        var message = await bob.Events.WaitAsync("new_message");
        Assert.That(message.Args[0]!["sender"]!["_id"]!.GetValue<string>(), Is.EqualTo("carol"));

        await carol.EmitAsync("send_message", new { content = "to nowhere", room = "no-such-room" });
        Assert.That((await NextErrorAsync(carol, 0))["message"]!.GetValue<string>(), Is.EqualTo("Room not found"));
        Assert.That(carol.Events.Count("new_message"), Is.Zero, "not in the room: not among its receivers (the seed's io.to(room))");
        Assert.That(await server.Store.GetConversationAsync("NO-SUCH-ROOM", CancellationToken.None), Is.Null, "sending creates no room");
    }

    [Test]
    public async Task AStoreFailure_OnJoin_IsTheErrorEvent_AndTheConnectionGoesOn()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice");
        await JoinAsync(alice, "abc", "alice");
        if (_databaseUrl is not null)
        {
            await using var pg = new Npgsql.NpgsqlConnection(_databaseUrl);
            await pg.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand("DROP TABLE conversation_members CASCADE", pg);
            await drop.ExecuteNonQueryAsync();
        }
        else
        {
            await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "chat.db")}");
            await sqlite.OpenAsync();
            await using var drop = sqlite.CreateCommand();
            drop.CommandText = "DROP TABLE conversation_members";
            await drop.ExecuteNonQueryAsync();
        }

        await alice.EmitAsync("join_room", "def");
        Assert.That((await NextErrorAsync(alice, 0)).ToJsonString(), Is.EqualTo("""{"message":"Failed to join room","code":"INTERNAL"}"""),
            "no internals leak to the client");
        await alice.EmitAsync("send_message", new { content = "still here", room = "abc" });
        await alice.Events.WaitAsync("new_message");
        Assert.That(alice.Connected, Is.True);
    }

    [Test]
    public async Task LeaveRoom_StopsTheRoomsMessages()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await JoinAsync(alice, "abc", "alice");
        await JoinAsync(bob, "abc", "bob");

        await bob.EmitAsync("leave_room", " abc");
        await bob.Events.WaitAsync("left_room");
        var remaining = await UsersOnlineAsync(alice, users => users.Count == 1);
        Assert.That(UserIds(remaining), Is.EqualTo(new[] { "alice" }));
        await alice.EmitAsync("send_message", new { content = "bob has gone", room = "abc" });
        await alice.Events.WaitAsync("new_message");
        await JoinAsync(bob, "def", "bob"); // a round trip of bob's after the message
        Assert.That(bob.Events.Count("new_message"), Is.Zero);
        Assert.That((await server.Store.GetConversationAsync("ABC", CancellationToken.None))!.MemberIds, Is.EqualTo(new[] { "alice" }));
    }

    [Test]
    public async Task AStoredMessageOfAnotherVocabulary_InTheOpenRoom_IsANewMessageToo()
    {
        await using var server = await StartAsync();
        await using var alice = await ConnectAsync(server, "alice", "Alice");
        await using var bob = await ConnectAsync(server, "bob");
        await JoinAsync(alice, "abc", "alice");
        await JoinAsync(bob, "abc", "bob");

        var ack = (await alice.AskAsync("message:send", new { chatId = "ABC", body = "from seed 002's vocabulary", clientId = "c1" }))!;
        Assert.That(ack["ok"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
        var message = (await bob.Events.WaitAsync("new_message")).Args[0]!.AsObject();
        Assert.That(message["_id"]!.GetValue<string>(), Is.EqualTo(ack["data"]!["serverId"]!.GetValue<string>()));
        Assert.That(message["content"]!.GetValue<string>(), Is.EqualTo("from seed 002's vocabulary"));
        Assert.That(message["sender"]!.ToJsonString(), Is.EqualTo("""{"_id":"alice","username":"Alice","isOnline":true}"""));
    }
}
