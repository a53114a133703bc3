using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

// seed 003: persistent notifications (schema version 2) and the offline message queue
public abstract partial class ChatStoreContractTests
{
    private Task<Notification> NotifyAsync(string userId, string type = "message", string priority = "normal", string? data = null) =>
        Store.CreateNotificationAsync(new NewNotification(userId, type, priority, "title", "text", data, "/go"), Ct);

    [Test]
    public async Task A_notification_is_stored_with_an_id_and_the_stores_time_and_read_by_its_user_only()
    {
        var created = await NotifyAsync("bob", "mention", "urgent", """{"x":1}""");
        Assert.That(IsObjectId(created.Id), Is.True);
        Assert.That(created with { Id = "" }, Is.EqualTo(new Notification("", "bob", "mention", "urgent", "title", "text", """{"x":1}""", "/go", T0, null)));
        Assert.That(await Store.GetNotificationAsync("bob", created.Id, Ct), Is.EqualTo(created));
        Assert.That(await Store.GetNotificationAsync("alice", created.Id, Ct), Is.Null, "another user's");
        Assert.That(await Store.MarkNotificationReadAsync("alice", created.Id, Ct), Is.Null);
        Assert.That(await Store.DeleteNotificationAsync("alice", created.Id, Ct), Is.False);
        Assert.That(await Store.CountUnreadNotificationsAsync("bob", Ct), Is.EqualTo(1));
    }

    [Test]
    public void Every_type_and_priority_of_seed_003_is_accepted_and_no_other()
    {
        foreach (var type in NotificationKinds.Types.Keys)
            foreach (var priority in NotificationKinds.Priorities)
                Assert.DoesNotThrowAsync(() => NotifyAsync("bob", type, priority));
        Assert.ThrowsAsync<ArgumentException>(() => NotifyAsync("bob", "spam"));
        Assert.ThrowsAsync<ArgumentException>(() => NotifyAsync("bob", "message", "critical"));
    }

    [Test]
    public async Task Notifications_list_newest_first_filtered_by_unread_and_type()
    {
        var first = await NotifyAsync("bob", "message");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await NotifyAsync("bob", "call");
        var sameMillisecond = await NotifyAsync("bob", "call");
        await NotifyAsync("carol");

        var all = await Store.ListNotificationsAsync("bob", false, null, 50, Ct);
        Assert.That(all.Select(n => n.Id), Is.EqualTo(new[] { sameMillisecond.Id, second.Id, first.Id }));
        Assert.That((await Store.ListNotificationsAsync("bob", false, "call", 50, Ct)).Select(n => n.Id), Is.EqualTo(new[] { sameMillisecond.Id, second.Id }));
        Assert.That(await Store.ListNotificationsAsync("bob", false, null, 1, Ct), Has.Count.EqualTo(1));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var read = await Store.MarkNotificationReadAsync("bob", second.Id, Ct);
        Assert.That(read!.ReadAt, Is.EqualTo(T0.AddSeconds(2)));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That((await Store.MarkNotificationReadAsync("bob", second.Id, Ct))!.ReadAt, Is.EqualTo(read.ReadAt), "the first read time is kept");
        Assert.That((await Store.ListNotificationsAsync("bob", true, null, 50, Ct)).Select(n => n.Id), Is.EqualTo(new[] { sameMillisecond.Id, first.Id }));
        Assert.That(await Store.CountUnreadNotificationsAsync("bob", Ct), Is.EqualTo(2));

        Assert.That(await Store.MarkAllNotificationsReadAsync("bob", Ct), Is.EqualTo(2));
        Assert.That(await Store.CountUnreadNotificationsAsync("bob", Ct), Is.Zero);
        Assert.That(await Store.CountUnreadNotificationsAsync("carol", Ct), Is.EqualTo(1), "another user's are untouched");
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.ListNotificationsAsync("bob", false, null, 0, Ct).GetAwaiter().GetResult());
    }

    [Test]
    public async Task Read_notifications_are_gone_seven_days_after_they_were_read_and_unread_ones_stay()
    {
        var read = await NotifyAsync("bob");
        var unread = await NotifyAsync("bob");
        await Store.MarkNotificationReadAsync("bob", read.Id, Ct);

        Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMilliseconds(1));
        Assert.That(await Store.GetNotificationAsync("bob", read.Id, Ct), Is.Not.Null, "one millisecond before the seventh day ends");
        Assert.That(await Store.PurgeReadNotificationsAsync(Ct), Is.Zero);

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(await Store.GetNotificationAsync("bob", read.Id, Ct), Is.Null, "past retention, no read returns it");
        Assert.That((await Store.ListNotificationsAsync("bob", false, null, 50, Ct)).Select(n => n.Id), Is.EqualTo(new[] { unread.Id }));
        Assert.That(await Store.PurgeReadNotificationsAsync(Ct), Is.EqualTo(1));
        Assert.That(await Database.CountAsync("notifications"), Is.EqualTo(1));
        Clock.Advance(TimeSpan.FromDays(365));
        Assert.That(await Store.GetNotificationAsync("bob", unread.Id, Ct), Is.Not.Null, "unread ones never expire");
    }

    [Test]
    public async Task Notifications_are_deleted_one_by_one_or_all_for_one_user()
    {
        var one = await NotifyAsync("bob");
        await NotifyAsync("bob");
        await NotifyAsync("carol");
        Assert.That(await Store.DeleteNotificationAsync("bob", one.Id, Ct), Is.True);
        Assert.That(await Store.DeleteNotificationAsync("bob", one.Id, Ct), Is.False);
        Assert.That(await Store.DeleteAllNotificationsAsync("bob", Ct), Is.EqualTo(1));
        Assert.That(await Database.CountAsync("notifications"), Is.EqualTo(1), "carol's stays");
    }

    [Test]
    public async Task The_offline_queue_hands_out_its_messages_once_in_order_then_is_empty()
    {
        var group = await GroupAsync("alice", "bob", "carol");
        var m1 = await SendAsync(group, "alice", "one");
        var m2 = await SendAsync(group, "alice", "two");
        await Store.EnqueueMessageAsync(m2.Id, ["bob", "carol"], Ct);
        await Store.EnqueueMessageAsync(m1.Id, ["bob", "bob"], Ct);
        await Store.EnqueueMessageAsync(m1.Id, ["bob"], Ct);
        Assert.That(await Store.CountQueuedMessagesAsync("bob", Ct), Is.EqualTo(2), "one entry per message");

        var taken = await Store.TakeQueuedMessagesAsync("bob", T0.AddDays(-7), Ct);
        Assert.That(taken.Select(m => m.Body), Is.EqualTo(new[] { "one", "two" }), "message order");
        Assert.That(await Store.CountQueuedMessagesAsync("bob", Ct), Is.Zero);
        Assert.That(await Store.TakeQueuedMessagesAsync("bob", T0.AddDays(-7), Ct), Is.Empty);
        Assert.That(await Store.CountQueuedMessagesAsync("carol", Ct), Is.EqualTo(1));
    }

    [Test]
    public async Task Expired_and_deleted_queued_messages_are_dropped_and_concurrent_takes_share_nothing()
    {
        var group = await GroupAsync("alice", "bob");
        var old = await SendAsync(group, "alice", "old");
        await Store.EnqueueMessageAsync(old.Id, ["bob"], Ct);
        Clock.Advance(TimeSpan.FromDays(1));
        var deleted = await SendAsync(group, "alice", "deleted");
        var fresh = await SendAsync(group, "alice", "fresh");
        await Store.EnqueueMessageAsync(deleted.Id, ["bob"], Ct);
        await Store.EnqueueMessageAsync(fresh.Id, ["bob"], Ct);
        await Store.DeleteMessageAsync(deleted.Id, "alice", Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Store.TakeQueuedMessagesAsync("bob", T0.AddHours(1), Ct))));
        Assert.That(results.SelectMany(r => r).Select(m => m.Body), Is.EqualTo(new[] { "fresh" }), "queued before the cutoff: expired");
        Assert.That(await Store.CountQueuedMessagesAsync("bob", Ct), Is.Zero);
    }

    [Test]
    public async Task Schema_version_2_adds_the_notification_and_queue_tables()
    {
        Assert.That(await Database.ScalarAsync("SELECT MAX(version) FROM schema_version"), Is.GreaterThanOrEqualTo(2));
        Assert.That(await Database.CountAsync("notifications"), Is.Zero);
        Assert.That(await Database.CountAsync("message_queue"), Is.Zero);
    }
}
