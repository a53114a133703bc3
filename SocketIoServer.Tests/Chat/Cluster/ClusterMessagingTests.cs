using System.Text.Json.Nodes;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.Cluster;

/// <summary>
/// Three chat server processes on one Redis and one PostgreSQL: for each of the five vocabularies, a message sent on
/// node A reaches the members on nodes B and C exactly once, in that vocabulary's event names and shapes.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterMessagingTests
{
    private ChatCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => _cluster = await ChatCluster.StartAsync(3);

    [OneTimeTearDown]
    public async Task StopCluster() => await _cluster.DisposeAsync();

    /// <summary>Waits for one event of the name on each client, then a moment more: none comes twice.</summary>
    private static async Task<JsonObject[]> ExactlyOnceAsync(string name, params TestClient[] clients)
    {
        var received = new List<JsonObject>();
        foreach (var client in clients) received.Add((await client.Events.WaitAsync(name)).Args[0]!.AsObject());
        await Task.Delay(500);
        foreach (var client in clients) Assert.That(client.Events.Count(name), Is.EqualTo(1), $"{name} once on {client.Id}");
        return [.. received];
    }

    [Test]
    public async Task Famly_MessageSend_OnA_ReachesBAndC_Once()
    {
        var chatId = await _cluster.CreateChatAsync(0, "fa", "group", "fb", "fc");
        await using var a = await _cluster.ConnectAsync(0, "fa", "/", "message:new");
        await using var b = await _cluster.ConnectAsync(1, "fb", "/", "message:new");
        await using var c = await _cluster.ConnectAsync(2, "fc", "/", "message:new");
        var ack = (await a.AskAsync("message:send", new { chatId, body = "hello famly", clientId = "c-1" }))!.AsObject();
        Assert.That(ack["ok"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
        foreach (var message in await ExactlyOnceAsync("message:new", b, c))
        {
            Assert.That(message["chatId"]!.GetValue<string>(), Is.EqualTo(chatId));
            Assert.That(message["body"]!.GetValue<string>(), Is.EqualTo("hello famly"));
            Assert.That(message["senderId"]!.GetValue<string>(), Is.EqualTo("fa"));
            Assert.That(message["_id"]!.GetValue<string>(), Is.EqualTo(ack["data"]!["serverId"]!.GetValue<string>()));
        }
    }

    [Test]
    public async Task WhatsApp_MessageSend_OnA_ReachesBAndC_Once()
    {
        var conversationId = await _cluster.CreateChatAsync(0, "wa", "group", "wb", "wc");
        await using var a = await _cluster.ConnectAsync(0, "wa", "/messages", "message:new");
        await using var b = await _cluster.ConnectAsync(1, "wb", "/messages", "message:new");
        await using var c = await _cluster.ConnectAsync(2, "wc", "/messages", "message:new");
        var ack = (await a.AskAsync("message:send", new { conversationId, content = "hello whatsapp" }))!.AsObject();
        Assert.That(ack["success"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
        foreach (var message in await ExactlyOnceAsync("message:new", b, c))
        {
            Assert.That(message["conversationId"]!.GetValue<string>(), Is.EqualTo(conversationId));
            Assert.That(message["content"]!.GetValue<string>(), Is.EqualTo("hello whatsapp"));
            Assert.That(message["_id"]!.GetValue<string>(), Is.EqualTo(ack["message"]!["_id"]!.GetValue<string>()));
        }
    }

    [Test]
    public async Task Task5_SendMessage_OnA_ReachesBAndC_Once()
    {
        var roomId = await _cluster.CreateChatAsync(0, "ta", "group", "tb", "tc");
        await using var a = await _cluster.ConnectAsync(0, "ta", "/", "new-message");
        await using var b = await _cluster.ConnectAsync(1, "tb", "/", "new-message");
        await using var c = await _cluster.ConnectAsync(2, "tc", "/", "new-message");
        var ack = (await a.AskAsync("send-message", new { roomId, content = "hello task5" }))!.AsObject();
        Assert.That(ack["success"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
        foreach (var message in await ExactlyOnceAsync("new-message", b, c))
        {
            Assert.That(message["roomId"]!.GetValue<string>(), Is.EqualTo(roomId));
            Assert.That(message["content"]!.GetValue<string>(), Is.EqualTo("hello task5"));
            Assert.That(message["user"]!["id"]!.GetValue<string>(), Is.EqualTo("ta"));
        }
        await Task.Delay(200);
        Assert.That(a.Events.Count("new-message"), Is.Zero, "the sender has it in its ack (seed 001)");
    }

    [Test]
    public async Task WhisperSpace_SendMessage_OnA_ReachesBAndC_Once_AndUsersOnlineListsEveryNode()
    {
        string[] events = ["joined_room", "users_online", "new_message", "error"];
        await using var a = await _cluster.ConnectAsync(0, "sa", "/", events);
        await using var b = await _cluster.ConnectAsync(1, "sb", "/", events);
        await using var c = await _cluster.ConnectAsync(2, "sc", "/", events);
        foreach (var client in new[] { a, b, c })
        {
            await client.EmitAsync("join_room", "cluster-room");
            await client.Events.WaitAsync("joined_room");
        }
        // the last join's users_online comes from the sockets of every node (FetchSockets across the cluster)
        var users = await c.Events.WaitAsync("users_online", e => e.Args[0]!.AsArray().Count == 3);
        Assert.That(users.Args[0]!.AsArray().Select(u => u!["userId"]!.GetValue<string>()).Order(), Is.EqualTo(new[] { "sa", "sb", "sc" }));
        Assert.That(users.Args[0]!.AsArray().Select(u => u!["username"]!.GetValue<string>()).Order(), Is.EqualTo(new[] { "sa", "sb", "sc" }));

        await a.EmitAsync("send_message", new { room = "cluster-room", content = "hello whisper" });
        foreach (var message in await ExactlyOnceAsync("new_message", a, b, c))
        {
            Assert.That(message["room"]!.GetValue<string>(), Is.EqualTo("CLUSTER-ROOM"));
            Assert.That(message["content"]!.GetValue<string>(), Is.EqualTo("hello whisper"));
        }
        Assert.That(a.Events.Count("error") + b.Events.Count("error") + c.Events.Count("error"), Is.Zero);
    }

    [Test]
    public async Task WhisperSpace_AStoredMessageToAnOpenRoom_ReachesItsMembersOnANodeWhereNoOneJoinedIt()
    {
        // the room was joined on node B only; a Famly client on node A sends to it: A has never seen the room itself
        await using var member = await _cluster.ConnectAsync(1, "oa", "/", "joined_room", "new_message", "message:new");
        await member.EmitAsync("join_room", "open-room-2");
        await member.Events.WaitAsync("joined_room");
        await using var other = await _cluster.ConnectAsync(1, "ob", "/", "joined_room", "new_message");
        await other.EmitAsync("join_room", "open-room-2");
        await other.Events.WaitAsync("joined_room");
        await using var sender = await _cluster.ConnectAsync(0, "oa", "/", "message:new");
        var ack = (await sender.AskAsync("message:send", new { chatId = "OPEN-ROOM-2", body = "from famly", clientId = "x-1" }))!.AsObject();
        Assert.That(ack["ok"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
        var message = (await other.Events.WaitAsync("new_message")).Args[0]!.AsObject();
        Assert.That(message["content"]!.GetValue<string>(), Is.EqualTo("from famly"));
    }

    [Test]
    public async Task DeedO_SendMessage_OnA_ReachesBAndC_Once()
    {
        var groupId = await _cluster.CreateChatAsync(0, "da", "group", "db", "dc");
        await using var a = await _cluster.ConnectAsync(0, "da", "/", "newMessage", "error");
        await using var b = await _cluster.ConnectAsync(1, "db", "/", "newMessage");
        await using var c = await _cluster.ConnectAsync(2, "dc", "/", "newMessage");
        await a.EmitAsync("sendMessage", new { groupId, text = "hello deedo", attachments = Array.Empty<object>() });
        foreach (var message in await ExactlyOnceAsync("newMessage", a, b, c))
        {
            Assert.That(message["groupId"]!.GetValue<string>(), Is.EqualTo(groupId));
            Assert.That(message["text"]!.GetValue<string>(), Is.EqualTo("hello deedo"));
        }
        Assert.That(a.Events.Count("error"), Is.Zero);
    }
}
