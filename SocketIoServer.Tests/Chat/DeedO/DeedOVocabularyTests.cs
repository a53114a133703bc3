using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Tests.Support;
using static SocketIoServer.Tests.Chat.DeedO.DeedOTestKit;

namespace SocketIoServer.Tests.Chat.DeedO;

/// <summary>Seed 004's events, payloads, errors and rate limit against the chat server, on SQLite and on PostgreSQL.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed partial class DeedOVocabularyTests(string store)
{
    [GeneratedRegex("^[0-9a-f]{24}$")]
    private static partial Regex ObjectId();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex IsoTime();

    [Test]
    public async Task SendMessage_BroadcastsNewMessage_InSeed004sShape_ToTheGroup_SenderIncluded()
    {
        await using var server = await StartAsync(store);
        var groupId = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        var attachments = new[] { new { url = "https://cdn.example/p.png", type = "image" } };
        await alice.EmitAsync("sendMessage", new { groupId, text = "Hello, group! 🎉", attachments });
        var message = (await bob.Events.WaitAsync("newMessage")).Args[0]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(message.Select(p => p.Key), Is.EqualTo(new[] { "id", "senderId", "groupId", "text", "attachments", "timestamp", "readBy" }));
            Assert.That(message["id"]!.GetValue<string>(), Does.Match(ObjectId()));
            Assert.That(message["senderId"]!.GetValue<string>(), Is.EqualTo("alice"));
            Assert.That(message["groupId"]!.GetValue<string>(), Is.EqualTo(groupId));
            Assert.That(message["text"]!.GetValue<string>(), Is.EqualTo("Hello, group! 🎉"));
            Assert.That(message["attachments"]!.ToJsonString(), Is.EqualTo("""[{"url":"https://cdn.example/p.png","type":"image"}]"""));
            Assert.That(message["timestamp"]!.GetValue<string>(), Does.Match(IsoTime()));
            Assert.That(message["readBy"]!.ToJsonString(), Is.EqualTo("""["alice"]"""), "the sender has read it");
        });
        var own = (await alice.Events.WaitAsync("newMessage")).Args[0]!.AsObject();
        Assert.That(own["id"]!.GetValue<string>(), Is.EqualTo(message["id"]!.GetValue<string>()));

        var id = message["id"]!.GetValue<string>();
        Assert.That((await server.Store.GetMessageAsync(id, CancellationToken.None))!.Body, Is.EqualTo("Hello, group! 🎉"), "stored");
        var marks = await server.Store.ListReadMarksAsync([id], CancellationToken.None);
        Assert.That(marks, Is.Empty, "the sender's readBy entry is said, not stored: only readers' marks are kept");
        Assert.That(alice.Events.Count("error"), Is.Zero);
    }

    [Test]
    public async Task SendMessage_WithAnAck_IsAcknowledged_AndTheSeedsClientWithoutAttachmentsWorks()
    {
        await using var server = await StartAsync(store);
        var groupId = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice");

        var ack = (await alice.AskAsync("sendMessage", new { groupId, text = "acked" }))!.AsObject();
        Assert.That(ack["success"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
        var message = (await alice.Events.WaitAsync("newMessage")).Args[0]!.AsObject();
        Assert.That(ack["id"]!.GetValue<string>(), Is.EqualTo(message["id"]!.GetValue<string>()));
        Assert.That(message["attachments"]!.ToJsonString(), Is.EqualTo("[]"), "no attachments given: an empty list");
    }

    [Test]
    public async Task BadPayloads_AreErrorEvents_AndTheConnectionGoesOn()
    {
        await using var server = await StartAsync(store);
        var groupId = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice");

        var seen = 0;
        async Task<string> Refused(string name, object payload)
        {
            await alice.EmitAsync(name, payload);
            return await NextErrorAsync(alice, seen++);
        }
        Assert.That(await Refused("sendMessage", new { text = "no group" }), Does.Contain("groupId"));
        Assert.That(await Refused("sendMessage", new { groupId = 7, text = "x" }), Does.Contain("groupId"));
        Assert.That(await Refused("sendMessage", new { groupId, text = 5 }), Does.Contain("text"));
        Assert.That(await Refused("sendMessage", new { groupId, text = "" }), Does.Contain("text"));
        Assert.That(await Refused("sendMessage", new { groupId, text = new string('x', 8001) }), Does.Contain("8000"));
        Assert.That(await Refused("sendMessage", new { groupId, text = "x", attachments = "nope" }), Does.Contain("attachments"));
        Assert.That(await Refused("sendMessage", new { groupId, text = "x", attachments = new[] { new { url = 1, type = "image" } } }), Does.Contain("attachment"));
        Assert.That(await Refused("sendMessage", "not an object"), Does.Contain("groupId"));
        Assert.That(await Refused("joinGroup", new { }), Does.Contain("groupId"));
        Assert.That(await Refused("markAsRead", new { groupId }), Does.Contain("messageId"));

        var onlyAttachment = await SendAsync(alice, groupId, "", new[] { new { url = "u", type = "file" } });
        Assert.That(onlyAttachment["attachments"]!.AsArray(), Has.Count.EqualTo(1), "an attachment alone is a message");
        Assert.That(alice.Connected, Is.True);
        Assert.That(alice.Events.Count("newMessage"), Is.EqualTo(1), "nothing refused was broadcast");
    }

    [Test]
    public async Task NonMembers_MayNeitherJoinNorSend_NorMarkRead()
    {
        await using var server = await StartAsync(store);
        var groupId = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");
        var message = await SendAsync(alice, groupId, "members only");

        await carol.EmitAsync("joinGroup", new { groupId });
        Assert.That(await NextErrorAsync(carol, 0), Is.EqualTo("Not a member of this group"));
        await carol.EmitAsync("joinGroup", new { groupId = "0123456789abcdef01234567" });
        Assert.That(await NextErrorAsync(carol, 1), Is.EqualTo("Not a member of this group"), "an unknown group looks the same");
        var ack = (await carol.AskAsync("joinGroup", new { groupId }))!.AsObject();
        Assert.That(ack.ToJsonString(), Is.EqualTo("""{"success":false,"message":"Not a member of this group"}"""));
        await carol.EmitAsync("sendMessage", new { groupId, text = "intrusion", attachments = Array.Empty<object>() });
        Assert.That(await NextErrorAsync(carol, 3), Is.EqualTo("Not a member of this group"));
        await carol.EmitAsync("markAsRead", new { groupId, messageId = message["id"]!.GetValue<string>() });
        Assert.That(await NextErrorAsync(carol, 4), Is.EqualTo("Not a member of this group"));

        await SendAsync(alice, groupId, "barrier");
        await bob.Events.WaitAsync("newMessage", e => e.Args[0]!["text"]!.GetValue<string>() == "barrier");
        Assert.That(bob.Events.Named("newMessage").Select(e => e.Args[0]!["text"]!.GetValue<string>()), Is.EqualTo(new[] { "members only", "barrier" }));
        Assert.That(carol.Events.Count("newMessage"), Is.Zero, "carol never joined the room");
        Assert.That(bob.Events.Count("messageRead"), Is.Zero);
        var page = await server.Store.ListMessagesAsync(groupId, "alice", MessageQuery.FromStart(10), CancellationToken.None);
        Assert.That(page.Messages.Select(m => m.Body), Is.EqualTo(new[] { "members only", "barrier" }), "the refused message was not stored");
    }

    [Test]
    public async Task LeaveGroup_StopsTheGroupsMessages_AndJoinGroup_BringsThemBack()
    {
        await using var server = await StartAsync(store);
        var groupId = await server.CreateChatAsync("alice", "group", "bob");
        var other = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        Assert.That((await bob.AskAsync("leaveGroup", new { groupId }))!.ToJsonString(), Is.EqualTo("""{"success":true}"""));
        await bob.EmitAsync("leaveGroup", new { groupId }); // twice is fine
        await SendAsync(alice, groupId, "bob's socket left");
        await SendAsync(alice, other, "barrier");
        await bob.Events.WaitAsync("newMessage", e => e.Args[0]!["text"]!.GetValue<string>() == "barrier");
        Assert.That(bob.Events.Count("newMessage"), Is.EqualTo(1));
        Assert.That(await server.Store.IsMemberAsync(groupId, "bob", CancellationToken.None), Is.True, "leaving the room is not leaving the group");

        Assert.That((await bob.AskAsync("joinGroup", new { groupId }))!.ToJsonString(), Is.EqualTo("""{"success":true}"""));
        await SendAsync(alice, groupId, "welcome back");
        await bob.Events.WaitAsync("newMessage", e => e.Args[0]!["text"]!.GetValue<string>() == "welcome back");
        Assert.That(bob.Events.Count("error"), Is.Zero);
    }

    [Test]
    public async Task MarkAsRead_BroadcastsMessageRead_AndIsKeptAsAReadMark()
    {
        await using var server = await StartAsync(store);
        var groupId = await server.CreateChatAsync("alice", "group", "bob", "carol");
        var otherGroup = await server.CreateChatAsync("bob", "group", "dave");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        var message = await SendAsync(alice, groupId, "read me");
        var messageId = message["id"]!.GetValue<string>();

        await bob.EmitAsync("markAsRead", new { messageId, groupId });
        var read = (await alice.Events.WaitAsync("messageRead")).Args[0]!.AsObject();
        Assert.That(read.ToJsonString(), Is.EqualTo($$"""{"messageId":"{{messageId}}","userId":"bob"}"""));
        await bob.Events.WaitAsync("messageRead");
        var marks = await server.Store.ListReadMarksAsync([messageId], CancellationToken.None);
        Assert.That(marks.Select(m => m.UserId), Is.EquivalentTo(new[] { "bob" }));

        await bob.EmitAsync("markAsRead", new { messageId = "0123456789abcdef01234567", groupId });
        Assert.That(await NextErrorAsync(bob, 0), Is.EqualTo("Message not found"));
        await bob.EmitAsync("markAsRead", new { messageId, groupId = otherGroup });
        Assert.That(await NextErrorAsync(bob, 1), Is.EqualTo("Message not found"), "the message is not in that group");

        // a later message's readBy names everyone who has read it by then: only its sender
        var next = await SendAsync(bob, groupId, "next");
        Assert.That(next["readBy"]!.ToJsonString(), Is.EqualTo("""["bob"]"""));
    }

    [Test]
    public async Task UserOnline_GoesToTheUsersGroups_OnConnectAndOnDisconnect()
    {
        await using var server = await StartAsync(store);
        await server.CreateChatAsync("alice", "group", "bob");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");
        var alice = await ConnectAsync(server, "alice");

        var online = (await bob.Events.WaitAsync("userOnline", e => e.Args[0]!["userId"]!.GetValue<string>() == "alice")).Args[0]!.AsObject();
        Assert.That(online.ToJsonString(), Is.EqualTo("""{"userId":"alice","isOnline":true}"""));
        await alice.DisposeAsync();
        var offline = await bob.Events.WaitAsync("userOnline",
            e => e.Args[0]!["userId"]!.GetValue<string>() == "alice" && !e.Args[0]!["isOnline"]!.GetValue<bool>(), TimeSpan.FromSeconds(8));
        Assert.That(offline.Args[0]!.ToJsonString(), Is.EqualTo("""{"userId":"alice","isOnline":false}"""));
        Assert.That(carol.Events.Named("userOnline").Where(e => e.Args[0]!["userId"]!.GetValue<string>() == "alice"), Is.Empty,
            "carol shares no group with alice");
    }

    [Test]
    public async Task The31stMessageInAMinute_IsAnError_NotDelivered_AndTheWindowSlides()
    {
        var clock = new ManualTimeProvider();
        await using var server = await StartAsync(store, b => b.Services.AddSingleton<TimeProvider>(clock));
        var groupId = await server.CreateChatAsync("alice", "group", "bob");
        await using var phone = await ConnectAsync(server, "alice");
        await using var laptop = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        for (var i = 0; i < 30; i++) await SendAsync(i % 2 == 0 ? phone : laptop, groupId, "m" + i);
        await laptop.EmitAsync("sendMessage", new { groupId, text = "31st", attachments = Array.Empty<object>() });
        Assert.That(await NextErrorAsync(laptop, 0), Is.EqualTo("Rate limit exceeded: at most 30 messages per minute"));

        clock.Advance(TimeSpan.FromSeconds(59));
        await phone.EmitAsync("sendMessage", new { groupId, text = "still too soon", attachments = Array.Empty<object>() });
        Assert.That(await NextErrorAsync(phone, 0), Does.StartWith("Rate limit exceeded"));
        clock.Advance(TimeSpan.FromSeconds(1));
        await SendAsync(phone, groupId, "a minute later");

        await bob.Events.WaitAsync("newMessage", e => e.Args[0]!["text"]!.GetValue<string>() == "a minute later");
        var texts = bob.Events.Named("newMessage").Select(e => e.Args[0]!["text"]!.GetValue<string>()).ToList();
        Assert.That(texts, Has.Count.EqualTo(31));
        Assert.That(texts, Does.Not.Contain("31st").And.Not.Contain("still too soon"), "a refused message is not delivered");
        var page = await server.Store.ListMessagesAsync(groupId, "alice", MessageQuery.FromStart(100), CancellationToken.None);
        Assert.That(page.Messages, Has.Count.EqualTo(31), "nor stored");
    }

    [Test]
    public async Task MessagesFromOtherVocabularies_ReachDeedOClients_AsNewMessage()
    {
        await using var server = await StartAsync(store);
        var groupId = await server.CreateChatAsync("alice", "group", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        var ack = (await alice.AskAsync("message:send", new { chatId = groupId, body = "from Famly", clientId = Guid.NewGuid().ToString() }))!.AsObject();
        Assert.That(ack["ok"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
        var message = (await bob.Events.WaitAsync("newMessage")).Args[0]!.AsObject();
        Assert.That(message["text"]!.GetValue<string>(), Is.EqualTo("from Famly"));
        Assert.That(message["attachments"]!.ToJsonString(), Is.EqualTo("[]"));
        Assert.That(message["readBy"]!.ToJsonString(), Is.EqualTo("""["alice"]"""));
    }
}
