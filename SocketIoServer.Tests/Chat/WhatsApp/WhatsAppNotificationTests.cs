using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Chat.Vocabularies.WhatsApp;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.WhatsApp;

/// <summary>Seed 003's persistent notifications: created for offline participants, the REST endpoints, the /notifications events, the 7-day deletion.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class WhatsAppNotificationTests(string store) : WhatsAppTestBase(store)
{
    private static readonly string[] NotificationKeys = ["_id", "recipient", "type", "title", "message", "data", "priority", "actionUrl", "read", "readAt", "createdAt"];

    private static async Task<(int Status, JsonNode? Body)> CallAsync(HttpClient http, HttpMethod method, string path)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(method, path));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static Task<Notification> NotifyAsync(ChatTestServer server, string userId, string type, string priority = "normal") =>
        server.App.Services.GetRequiredService<WhatsAppNotifications>().CreateAsync(
            new NewNotification(userId, type, priority, NotificationKinds.Types[type], "text", """{"k":"v"}""", "/somewhere"), CancellationToken.None);

    [Test]
    public async Task AMessage_CreatesAMessageNotification_ForEachParticipantOfflineWhenItIsSent()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "group", "bob", "carol");
        await using var alice = await ConnectAsync(server, "alice");
        await using var carol = await ConnectAsync(server, "carol", "/notifications");
        var messageId = await SendAsync(alice, conversationId, "are you there?");

        using var http = Http(server, "bob");
        var (status, list) = await CallAsync(http, HttpMethod.Get, "/api/notifications?type=message"); // (bob was also invited to the group)
        Assert.That(status, Is.EqualTo(200));
        var notification = list!.AsArray().Single()!.AsObject();
        Assert.That(notification.Select(p => p.Key), Is.EqualTo(NotificationKeys));
        Assert.Multiple(() =>
        {
            Assert.That(notification["recipient"]!.GetValue<string>(), Is.EqualTo("bob"));
            Assert.That(notification["type"]!.GetValue<string>(), Is.EqualTo("message"));
            Assert.That(notification["title"]!.GetValue<string>(), Is.EqualTo("New message received"));
            Assert.That(notification["message"]!.GetValue<string>(), Is.EqualTo("alice: are you there?"));
            Assert.That(notification["priority"]!.GetValue<string>(), Is.EqualTo("normal"));
            Assert.That(notification["data"]!["messageId"]!.GetValue<string>(), Is.EqualTo(messageId));
            Assert.That(notification["data"]!["conversationId"]!.GetValue<string>(), Is.EqualTo(conversationId));
            Assert.That(notification["actionUrl"]!.GetValue<string>(), Is.EqualTo($"/conversations/{conversationId}"));
            Assert.That(notification["read"]!.GetValue<bool>(), Is.False);
        });
        Assert.That(await server.Store.ListNotificationsAsync("carol", false, "message", 10, CancellationToken.None), Is.Empty, "carol was online (on /notifications)");
        Assert.That(await server.Store.CountUnreadNotificationsAsync("alice", CancellationToken.None), Is.Zero, "not the sender (nor invited: she made the group)");
    }

    [Test]
    public async Task Mentions_GroupInvitations_AndGroupUpdates_CreateTheirNotifications()
    {
        await using var server = await StartAsync();
        var conversationId = await server.CreateChatAsync("alice", "group", "bob", "carol");
        using var aliceHttp = Http(server, "alice");
        using var bobHttp = Http(server, "bob");
        using var daveHttp = Http(server, "dave");

        var invites = (await CallAsync(bobHttp, HttpMethod.Get, "/api/notifications?type=group_invite")).Body!.AsArray();
        Assert.That(invites.Single()!["data"]!["conversationId"]!.GetValue<string>(), Is.EqualTo(conversationId), "invited to the new group");
        Assert.That((await CallAsync(aliceHttp, HttpMethod.Get, "/api/notifications")).Body!.AsArray(), Is.Empty, "not the one who created it");

        await using var alice = await ConnectAsync(server, "alice");
        await SendAsync(alice, conversationId, "hi @bob, and @nobody");
        var mention = (await CallAsync(bobHttp, HttpMethod.Get, "/api/notifications?type=mention")).Body!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(mention["priority"]!.GetValue<string>(), Is.EqualTo("high"));
            Assert.That(mention["title"]!.GetValue<string>(), Is.EqualTo("You were mentioned"));
        });
        Assert.That(await server.Store.ListNotificationsAsync("carol", false, "mention", 10, CancellationToken.None), Is.Empty, "carol was not mentioned");

        using (var added = await aliceHttp.PostAsync($"/v1/chats/{conversationId}/members", ChatTestServer.JsonContent(new JsonObject { ["userId"] = "dave" })))
            Assert.That((int)added.StatusCode, Is.EqualTo(200));
        Assert.That((await CallAsync(daveHttp, HttpMethod.Get, "/api/notifications?type=group_invite")).Body!.AsArray(), Has.Count.EqualTo(1));

        using (var renamed = await aliceHttp.PatchAsync($"/v1/chats/{conversationId}", ChatTestServer.JsonContent(new JsonObject { ["title"] = "Renamed" })))
            Assert.That((int)renamed.StatusCode, Is.EqualTo(200));
        var update = (await CallAsync(bobHttp, HttpMethod.Get, "/api/notifications?type=group_update")).Body!.AsArray().Single()!;
        Assert.That(update["message"]!.GetValue<string>(), Is.EqualTo("Renamed was updated"));
        Assert.That(await server.Store.ListNotificationsAsync("alice", false, "group_update", 10, CancellationToken.None), Is.Empty, "not the one who renamed it");
    }

    [Test]
    public async Task TheRestEndpoints_ListCountGetReadMarkAllAndDelete()
    {
        await using var server = await StartAsync();
        var first = await NotifyAsync(server, "bob", "call", "urgent");
        var second = await NotifyAsync(server, "bob", "mention", "low");
        var third = await NotifyAsync(server, "bob", "system", "high");
        var carols = await NotifyAsync(server, "carol", "system");
        using var http = Http(server, "bob");

        var (_, list) = await CallAsync(http, HttpMethod.Get, "/api/notifications");
        Assert.That(list!.AsArray().Select(n => n!["_id"]!.GetValue<string>()), Is.EqualTo(new[] { third.Id, second.Id, first.Id }), "newest first");
        Assert.That((await CallAsync(http, HttpMethod.Get, "/api/notifications?type=call")).Body!.AsArray(), Has.Count.EqualTo(1));
        Assert.That((await CallAsync(http, HttpMethod.Get, "/api/notifications/unread")).Body!.ToJsonString(), Is.EqualTo("""{"count":3}"""));
        var (getStatus, got) = await CallAsync(http, HttpMethod.Get, $"/api/notifications/{first.Id}");
        Assert.That(getStatus, Is.EqualTo(200));
        Assert.That(got!["priority"]!.GetValue<string>(), Is.EqualTo("urgent"));
        Assert.That(got["data"]!.ToJsonString(), Is.EqualTo("""{"k":"v"}"""));
        Assert.That((await CallAsync(http, HttpMethod.Get, $"/api/notifications/{carols.Id}")).Status, Is.EqualTo(404), "another user's");

        var (readStatus, read) = await CallAsync(http, HttpMethod.Post, $"/api/notifications/{first.Id}/read");
        Assert.That(readStatus, Is.EqualTo(200));
        Assert.That(read!["read"]!.GetValue<bool>(), Is.True);
        Assert.That(read["readAt"]!.GetValue<string>(), Does.EndWith("Z"));
        Assert.That((await CallAsync(http, HttpMethod.Get, "/api/notifications?unread=true")).Body!.AsArray(), Has.Count.EqualTo(2));
        Assert.That((await CallAsync(http, HttpMethod.Post, "/api/notifications/mark-all-read")).Body!.ToJsonString(), Is.EqualTo("""{"count":2}"""));
        Assert.That((await CallAsync(http, HttpMethod.Get, "/api/notifications/unread")).Body!.ToJsonString(), Is.EqualTo("""{"count":0}"""));

        Assert.That((await CallAsync(http, HttpMethod.Delete, $"/api/notifications/{second.Id}")).Status, Is.EqualTo(204));
        Assert.That((await CallAsync(http, HttpMethod.Delete, $"/api/notifications/{second.Id}")).Status, Is.EqualTo(404));
        Assert.That((await CallAsync(http, HttpMethod.Delete, "/api/notifications")).Body!.ToJsonString(), Is.EqualTo("""{"count":2}"""));
        Assert.That((await CallAsync(http, HttpMethod.Get, "/api/notifications")).Body!.AsArray(), Is.Empty);
        Assert.That(await server.Store.GetNotificationAsync("carol", carols.Id, CancellationToken.None), Is.Not.Null);

        var (badStatus, bad) = await CallAsync(http, HttpMethod.Get, "/api/notifications?limit=0");
        Assert.That((badStatus, bad!["error"]!.GetValue<string>()), Is.EqualTo((400, "VALIDATION_ERROR")));
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.Url) };
        var (unauthorized, error) = await CallAsync(anonymous, HttpMethod.Get, "/api/notifications");
        Assert.That((unauthorized, error!["error"]!.GetValue<string>()), Is.EqualTo((401, "UNAUTHORIZED")));
    }

    [Test]
    public async Task TheNamespaceEvents_CountReadMarkAllDelete_AndKeepTheBadgeInSync()
    {
        await using var server = await StartAsync();
        await using var bob = await ConnectAsync(server, "bob", "/notifications");
        var one = await NotifyAsync(server, "bob", "reaction");
        var pushed = (await bob.Events.WaitAsync("notification:new")).Args[0]!;
        Assert.That(pushed["_id"]!.GetValue<string>(), Is.EqualTo(one.Id));
        var two = await NotifyAsync(server, "bob", "forward");

        Assert.That((await AckAsync(bob, "notifications:unread", new { })).ToJsonString(), Is.EqualTo("""{"success":true,"count":2}"""));
        var read = await AckAsync(bob, "notification:read", new { notificationId = one.Id });
        AssertOk(read);
        Assert.That(read["notification"]!["read"]!.GetValue<bool>(), Is.True);
        await bob.Events.WaitAsync("notifications:unread", e => e.Args[0]!["count"]!.GetValue<int>() == 1);
        AssertError(await AckAsync(bob, "notification:read", new { notificationId = "000000000000000000000000" }), "NOT_FOUND");
        AssertError(await AckAsync(bob, "notification:read", new { }), "VALIDATION_ERROR");

        Assert.That((await AckAsync(bob, "notifications:mark-all-read", new { })).ToJsonString(), Is.EqualTo("""{"success":true,"count":1}"""));
        await bob.Events.WaitAsync("notifications:unread", e => e.Args[0]!["count"]!.GetValue<int>() == 0);
        AssertOk(await AckAsync(bob, "notification:delete", new { notificationId = two.Id }));
        AssertError(await AckAsync(bob, "notification:delete", new { notificationId = two.Id }), "NOT_FOUND");
        Assert.That(await server.Store.GetNotificationAsync("bob", two.Id, CancellationToken.None), Is.Null);

        await bob.EmitAsync("notifications:unread");
        await bob.Events.WaitAsync("notifications:unread", e => e.Args[0]!["count"]!.GetValue<int>() == 0 && e.Args.Count == 1);
    }

    [Test]
    public async Task SubscribeAndUnsubscribe_ChooseTheTypesASocketIsSent()
    {
        await using var server = await StartAsync();
        await using var calls = await ConnectAsync(server, "bob", "/notifications");
        await using var allButSystem = await ConnectAsync(server, "bob", "/notifications");

        var subscribed = await AckAsync(calls, "notifications:subscribe", new { types = new[] { "call", "group_invite" } });
        Assert.That(subscribed.ToJsonString(), Is.EqualTo("""{"success":true,"types":["group_invite","call"]}"""));
        var unsubscribed = await AckAsync(allButSystem, "notifications:unsubscribe", new { types = new[] { "system" } });
        Assert.That(unsubscribed["types"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Not.Contain("system").And.Contain("call"));
        AssertError(await AckAsync(calls, "notifications:subscribe", new { types = new[] { "nonsense" } }), "VALIDATION_ERROR");

        await NotifyAsync(server, "bob", "system");
        await NotifyAsync(server, "bob", "call");
        await NotifyAsync(server, "bob", "mention");
        var toCalls = await calls.Events.WaitAsync("notification:new");
        Assert.That(toCalls.Args[0]!["type"]!.GetValue<string>(), Is.EqualTo("call"));
        await allButSystem.Events.WaitCountAsync("notification:new", 2);
        await Task.Delay(200);
        Assert.That(calls.Events.Count("notification:new"), Is.EqualTo(1));
        Assert.That(allButSystem.Events.Named("notification:new").Select(e => e.Args[0]!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "call", "mention" }));
    }

    [Test]
    public async Task ReadNotifications_AreDeletedSevenDaysAfterTheyWereRead()
    {
        var clock = new ShiftingClock();
        await using var server = await StartAsync(clock);
        var read = await NotifyAsync(server, "bob", "system");
        var unread = await NotifyAsync(server, "bob", "system");
        using var http = Http(server, "bob");
        Assert.That((await CallAsync(http, HttpMethod.Post, $"/api/notifications/{read.Id}/read")).Status, Is.EqualTo(200));

        clock.Advance(TimeSpan.FromDays(6));
        Assert.That((await CallAsync(http, HttpMethod.Get, "/api/notifications")).Body!.AsArray(), Has.Count.EqualTo(2));
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var (_, left) = await CallAsync(http, HttpMethod.Get, "/api/notifications");
        Assert.That(left!.AsArray().Select(n => n!["_id"]!.GetValue<string>()), Is.EqualTo(new[] { unread.Id }));
        Assert.That((await CallAsync(http, HttpMethod.Get, $"/api/notifications/{read.Id}")).Status, Is.EqualTo(404));
        Assert.That(await server.Store.PurgeReadNotificationsAsync(CancellationToken.None), Is.EqualTo(1));
    }
}
