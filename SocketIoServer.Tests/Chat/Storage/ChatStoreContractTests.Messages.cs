using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

public abstract partial class ChatStoreContractTests
{
    [Test]
    public async Task A_message_is_stored_with_a_server_id_and_the_stores_time()
    {
        var group = await GroupAsync("alice", "bob");
        var result = await Store.InsertMessageAsync(new NewMessage(group.Id, "alice", "hi there", "c-1"), Ct);
        Assert.That(result.Status, Is.EqualTo(MessageInsertStatus.Inserted));
        var message = result.Message!;
        Assert.That(IsObjectId(message.Id), Is.True, message.Id);
        Assert.That(message with { Id = "" }, Is.EqualTo(new ChatMessage("", group.Id, "alice", "hi there", "c-1", T0, null)));
        Assert.That(await Store.GetMessageAsync(message.Id, Ct), Is.EqualTo(message));
        Assert.That((await Store.GetConversationAsync(group.Id, Ct))!.LastMessageAt, Is.EqualTo(T0));
        Assert.That(await Store.GetMessageAsync("000000000000000000000000", Ct), Is.Null);
    }

    [Test]
    public async Task The_same_client_id_twice_returns_the_first_message_as_a_duplicate()
    {
        var group = await GroupAsync("alice");
        var first = await SendAsync(group, "alice", "hello", "retry-me");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var retry = await Store.InsertMessageAsync(new NewMessage(group.Id, "alice", "hello (edited by the retry)", "retry-me"), Ct);
        Assert.That(retry.Status, Is.EqualTo(MessageInsertStatus.Duplicate));
        Assert.That(retry.Message, Is.EqualTo(first), "the first one wins, body and time included");
        Assert.That(await Database.CountAsync("messages"), Is.EqualTo(1));
    }

    [Test]
    public async Task Concurrent_sends_with_one_client_id_store_exactly_one_message()
    {
        var group = await GroupAsync("alice");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => Store.InsertMessageAsync(new NewMessage(group.Id, "alice", "once", "racing"), Ct))));
        Assert.That(results.Count(r => r.Status == MessageInsertStatus.Inserted), Is.EqualTo(1));
        Assert.That(results.Count(r => r.Status == MessageInsertStatus.Duplicate), Is.EqualTo(7));
        Assert.That(results.Select(r => r.Message!.Id).Distinct().Count(), Is.EqualTo(1));
        Assert.That(await Database.CountAsync("messages"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_retry_after_a_restart_is_still_a_duplicate()
    {
        var group = await GroupAsync("alice");
        var first = await SendAsync(group, "alice", "before the restart", "survives");
        await RestartAsync();
        var retry = await Store.InsertMessageAsync(new NewMessage(group.Id, "alice", "before the restart", "survives"), Ct);
        Assert.That(retry.Status, Is.EqualTo(MessageInsertStatus.Duplicate));
        Assert.That(retry.Message!.Id, Is.EqualTo(first.Id));
    }

    [Test]
    public async Task Client_ids_are_per_sender_and_missing_ones_never_collide()
    {
        var group = await GroupAsync("alice", "bob");
        var fromAlice = await SendAsync(group, "alice", "a", "same-key");
        var fromBob = await SendAsync(group, "bob", "b", "same-key");
        Assert.That(fromBob.Id, Is.Not.EqualTo(fromAlice.Id));
        await SendAsync(group, "alice", "no key 1");
        await SendAsync(group, "alice", "no key 2");
        Assert.That(await Database.CountAsync("messages"), Is.EqualTo(4));
    }

    [Test]
    public async Task A_client_id_reused_in_another_conversation_returns_the_first_message()
    {
        var one = await GroupAsync("alice");
        var two = await GroupAsync("alice");
        var first = await SendAsync(one, "alice", "x", "k");
        var reuse = await Store.InsertMessageAsync(new NewMessage(two.Id, "alice", "x", "k"), Ct);
        Assert.That(reuse.Status, Is.EqualTo(MessageInsertStatus.Duplicate));
        Assert.That(reuse.Message!.ConversationId, Is.EqualTo(one.Id), "the caller sees where the first one went");
        Assert.That(reuse.Message.Id, Is.EqualTo(first.Id));
    }

    [Test]
    public async Task Non_members_cannot_send()
    {
        var group = await GroupAsync("alice", "bob");
        Assert.That(await Store.InsertMessageAsync(new NewMessage(group.Id, "mallory", "hi", "m1"), Ct), Is.EqualTo(MessageInsertResult.NotMember));
        Assert.That(await Store.InsertMessageAsync(new NewMessage("000000000000000000000000", "alice", "hi", "m2"), Ct),
            Is.EqualTo(MessageInsertResult.NotMember));
        await Store.RemoveMemberAsync(group.Id, "bob", Ct);
        Assert.That((await Store.InsertMessageAsync(new NewMessage(group.Id, "bob", "hi", null), Ct)).Status, Is.EqualTo(MessageInsertStatus.NotMember));
        Assert.That(await Database.CountAsync("messages"), Is.EqualTo(0));
    }

    [Test]
    public void Bad_messages_are_refused()
    {
        Assert.ThrowsAsync<ArgumentException>(() => Store.InsertMessageAsync(new NewMessage("", "alice", "hi", null), Ct));
        Assert.ThrowsAsync<ArgumentException>(() => Store.InsertMessageAsync(new NewMessage("c", "alice", "hi", ""), Ct));
        Assert.ThrowsAsync<ArgumentNullException>(() => Store.InsertMessageAsync(new NewMessage("c", "alice", null!, null), Ct));
    }

    [Test]
    public async Task Messages_stored_in_the_same_millisecond_keep_the_order_they_were_stored_in()
    {
        var group = await GroupAsync("alice", "bob");
        var sent = new List<ChatMessage>();
        for (var i = 0; i < 5; i++) sent.Add(await SendAsync(group, i % 2 == 0 ? "alice" : "bob", $"m{i}"));
        Assert.That(sent.Select(m => m.CreatedAt).Distinct(), Is.EqualTo(new[] { T0 }), "the clock stood still");

        Assert.That(Ids(await ListAsync(group, "bob", MessageQuery.FromStart(200))), Is.EqualTo(Ids(sent)));
        Assert.That(Ids(await ListAsync(group, "bob", MessageQuery.FromStart(2))), Is.EqualTo(Ids(sent.Take(2))));
        Assert.That(Ids(await ListAsync(group, "bob", MessageQuery.After(sent[1].Id, 200))), Is.EqualTo(Ids(sent.Skip(2))));
        Assert.That(Ids(await ListAsync(group, "bob", MessageQuery.After(sent[1].Id, 2))), Is.EqualTo(Ids(sent.Skip(2).Take(2))));
        Assert.That(Ids(await ListAsync(group, "bob", MessageQuery.Newest(2))), Is.EqualTo(Ids(sent.Skip(3))), "the newest, oldest first");
        Assert.That(await ListAsync(group, "bob", MessageQuery.After(sent[4].Id, 10)), Is.Empty);
    }

    [Test]
    public async Task After_a_time_means_strictly_after_it()
    {
        var group = await GroupAsync("alice");
        var sent = new List<ChatMessage>();
        for (var i = 0; i < 4; i++)
        {
            sent.Add(await SendAsync(group, "alice", $"m{i}"));
            Clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        Assert.That(Ids(await ListAsync(group, "alice", MessageQuery.After(T0.AddMilliseconds(1), 200))), Is.EqualTo(Ids(sent.Skip(2))));
        Assert.That(Ids(await ListAsync(group, "alice", MessageQuery.After(T0.AddTicks(-1), 200))), Is.EqualTo(Ids(sent)));
        Assert.That(Ids(await ListAsync(group, "alice", MessageQuery.After(T0.AddMilliseconds(1).ToOffset(TimeSpan.FromHours(2)), 200))),
            Is.EqualTo(Ids(sent.Skip(2))), "any offset names the same instant");
        Assert.That(await ListAsync(group, "alice", MessageQuery.After(T0.AddMilliseconds(3), 200)), Is.Empty);
    }

    [Test]
    public void The_page_size_is_1_to_200()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageQuery.FromStart(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageQuery.After("x", 201));
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageQuery.Newest(-1));
        Assert.That(MessageQuery.FromStart(1).Limit, Is.EqualTo(1));
        Assert.That(MessageQuery.After(T0, 200).Limit, Is.EqualTo(200));
    }

    [Test]
    public async Task Paging_after_an_unknown_message_or_one_of_another_conversation_is_not_found()
    {
        var group = await GroupAsync("alice");
        var other = await GroupAsync("alice");
        var elsewhere = await SendAsync(other, "alice");
        Assert.That((await Store.ListMessagesAsync(group.Id, "alice", MessageQuery.After("000000000000000000000000", 10), Ct)).Status,
            Is.EqualTo(MessagePageStatus.AfterMessageNotFound));
        Assert.That((await Store.ListMessagesAsync(group.Id, "alice", MessageQuery.After(elsewhere.Id, 10), Ct)).Status,
            Is.EqualTo(MessagePageStatus.AfterMessageNotFound));
    }

    [Test]
    public async Task Non_members_cannot_read_messages()
    {
        var group = await GroupAsync("alice");
        await SendAsync(group, "alice", "secret");
        Assert.That(await Store.ListMessagesAsync(group.Id, "mallory", MessageQuery.FromStart(10), Ct), Is.EqualTo(MessagePage.NotMember));
        Assert.That(await Store.ListMessagesAsync("000000000000000000000000", "alice", MessageQuery.FromStart(10), Ct), Is.EqualTo(MessagePage.NotMember));
    }

    [Test]
    public async Task A_clock_stepping_back_never_puts_a_message_before_the_previous_one()
    {
        var group = await GroupAsync("alice");
        Clock.Advance(TimeSpan.FromSeconds(10));
        var first = await SendAsync(group, "alice", "first");
        Clock.Set(Start);
        var second = await SendAsync(group, "alice", "second");
        Assert.That(second.CreatedAt, Is.EqualTo(first.CreatedAt));
        Assert.That(Ids(await ListAsync(group, "alice", MessageQuery.FromStart(10))), Is.EqualTo(new[] { first.Id, second.Id }));
    }

    [Test]
    public async Task Many_concurrent_senders_all_get_stored_in_one_consistent_order()
    {
        var group = await GroupAsync("alice", Enumerable.Range(0, 20).Select(i => $"user{i}").ToArray());
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            if (i % 4 == 0) Clock.Advance(TimeSpan.FromMilliseconds(1));
            return await Store.InsertMessageAsync(new NewMessage(group.Id, $"user{i % 20}", $"m{i}", $"k{i}"), Ct);
        })));
        Assert.That(results.All(r => r.Status == MessageInsertStatus.Inserted), Is.True);
        var listed = await ListAsync(group, "alice", MessageQuery.FromStart(200));
        Assert.That(listed.Select(m => m.Id), Is.EquivalentTo(results.Select(r => r.Message!.Id)));
        Assert.That(listed.Select(m => m.CreatedAt), Is.Ordered);
        // paging by id walks the same order
        var walked = new List<ChatMessage>(await ListAsync(group, "alice", MessageQuery.FromStart(7)));
        while (true)
        {
            var page = await ListAsync(group, "alice", MessageQuery.After(walked[^1].Id, 7));
            if (page.Count == 0) break;
            walked.AddRange(page);
        }
        Assert.That(Ids(walked), Is.EqualTo(Ids(listed)));
    }

    [Test]
    public async Task Missed_messages_are_those_after_the_time_in_the_users_conversations()
    {
        var mine = await GroupAsync("alice", "bob");
        var alsoMine = await GroupAsync("carol", "alice");
        var notMine = await GroupAsync("bob");
        await SendAsync(mine, "bob", "before");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var since = T0.AddSeconds(1); // m1 is created exactly then
        var m1 = await SendAsync(alsoMine, "carol", "after 1");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var m2 = await SendAsync(mine, "bob", "after 2");
        var deleted = await SendAsync(mine, "alice", "deleted");
        await Store.DeleteMessageAsync(deleted.Id, "alice", Ct);
        await SendAsync(notMine, "bob", "elsewhere");
        var m3 = await SendAsync(mine, "alice", "after 3");

        Assert.That(Ids(await Store.ListMessagesSinceAsync("alice", since.AddTicks(-10_000), 1000, Ct)), Is.EqualTo(new[] { m1.Id, m2.Id, m3.Id }));
        Assert.That(Ids(await Store.ListMessagesSinceAsync("alice", since, 1000, Ct)), Is.EqualTo(new[] { m2.Id, m3.Id }), "strictly after");
        Assert.That(Ids(await Store.ListMessagesSinceAsync("alice", since.AddTicks(-10_000), 2, Ct)), Is.EqualTo(new[] { m1.Id, m2.Id }));
        Assert.That(await Store.ListMessagesSinceAsync("nobody", since.AddYears(-1), 1000, Ct), Is.Empty);
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListMessagesSinceAsync("alice", since, 0, Ct));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListMessagesSinceAsync("alice", since, 1001, Ct));
    }

    [Test]
    public async Task Only_the_sender_deletes_a_message_and_deleting_is_soft()
    {
        var group = await GroupAsync("alice", "bob");
        var message = await SendAsync(group, "alice", "oops");
        var kept = await SendAsync(group, "bob", "kept");

        Assert.That(await Store.DeleteMessageAsync(message.Id, "bob", Ct), Is.EqualTo(MessageDeletion.NotSender));
        Assert.That((await Store.GetMessageAsync(message.Id, Ct))!.IsDeleted, Is.False);

        Clock.Advance(TimeSpan.FromSeconds(2));
        var deletion = await Store.DeleteMessageAsync(message.Id, "alice", Ct);
        Assert.That(deletion.Status, Is.EqualTo(MessageDeletionStatus.Deleted));
        Assert.That(deletion.Message, Is.EqualTo(message with { DeletedAt = T0.AddSeconds(2) }));
        Assert.That(await Store.GetMessageAsync(message.Id, Ct), Is.EqualTo(deletion.Message));

        Assert.That(Ids(await ListAsync(group, "bob", MessageQuery.FromStart(10))), Is.EqualTo(new[] { kept.Id }));
        Assert.That(Ids(await ListAsync(group, "bob", MessageQuery.FromStart(10) with { IncludeDeleted = true })), Is.EqualTo(new[] { message.Id, kept.Id }));

        Clock.Advance(TimeSpan.FromSeconds(2));
        var again = await Store.DeleteMessageAsync(message.Id, "alice", Ct);
        Assert.That(again.Status, Is.EqualTo(MessageDeletionStatus.AlreadyDeleted));
        Assert.That(again.Message!.DeletedAt, Is.EqualTo(T0.AddSeconds(2)), "the first deletion time stays");
        Assert.That(await Store.DeleteMessageAsync("000000000000000000000000", "alice", Ct), Is.EqualTo(MessageDeletion.NotFound));
    }
}
