using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

public abstract partial class ChatStoreContractTests
{
    [Test]
    public async Task The_read_cursor_only_moves_forward()
    {
        var group = await GroupAsync("alice", "bob");
        // one millisecond for all three: the order they were stored in decides
        var m1 = await SendAsync(group, "alice", "1");
        var m2 = await SendAsync(group, "alice", "2");
        var m3 = await SendAsync(group, "alice", "3");

        Clock.Advance(TimeSpan.FromSeconds(1));
        var first = await Store.AdvanceReadCursorAsync(group.Id, "bob", m2.Id, Ct);
        Assert.That(first, Is.EqualTo(new ReadCursorUpdate(ReadCursorUpdateStatus.Advanced, new ReadCursor(group.Id, "bob", m2.Id, T0.AddSeconds(1)))));

        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await Store.AdvanceReadCursorAsync(group.Id, "bob", m1.Id, Ct),
            Is.EqualTo(new ReadCursorUpdate(ReadCursorUpdateStatus.Unchanged, first.Cursor)), "an older message does not move it");
        Assert.That(await Store.AdvanceReadCursorAsync(group.Id, "bob", m2.Id, Ct),
            Is.EqualTo(new ReadCursorUpdate(ReadCursorUpdateStatus.Unchanged, first.Cursor)), "nor does the same one");

        var last = await Store.AdvanceReadCursorAsync(group.Id, "bob", m3.Id, Ct);
        Assert.That(last.Status, Is.EqualTo(ReadCursorUpdateStatus.Advanced));
        Assert.That(last.Cursor, Is.EqualTo(new ReadCursor(group.Id, "bob", m3.Id, T0.AddSeconds(2))));
        Assert.That(await Store.GetReadCursorAsync(group.Id, "bob", Ct), Is.EqualTo(last.Cursor));
        Assert.That(await Store.GetReadCursorAsync(group.Id, "alice", Ct), Is.Null);
    }

    [Test]
    public async Task A_receipt_for_an_unknown_message_or_from_a_non_member_is_told_apart()
    {
        var group = await GroupAsync("alice");
        var other = await GroupAsync("alice");
        var message = await SendAsync(group, "alice");
        var elsewhere = await SendAsync(other, "alice");
        Assert.That(await Store.AdvanceReadCursorAsync(group.Id, "alice", "000000000000000000000000", Ct), Is.EqualTo(ReadCursorUpdate.MessageNotFound));
        Assert.That(await Store.AdvanceReadCursorAsync(group.Id, "alice", elsewhere.Id, Ct), Is.EqualTo(ReadCursorUpdate.MessageNotFound));
        Assert.That(await Store.AdvanceReadCursorAsync(group.Id, "mallory", message.Id, Ct), Is.EqualTo(ReadCursorUpdate.NotMember));
        Assert.That(await Store.AdvanceReadCursorAsync("000000000000000000000000", "alice", message.Id, Ct), Is.EqualTo(ReadCursorUpdate.NotMember));
        Assert.That(await Store.GetReadCursorAsync(group.Id, "alice", Ct), Is.Null);
    }

    [Test]
    public async Task Concurrent_receipts_leave_the_cursor_at_the_newest_message()
    {
        var group = await GroupAsync("alice", "bob");
        var messages = new List<ChatMessage>();
        for (var i = 0; i < 12; i++) messages.Add(await SendAsync(group, "alice", $"m{i}"));
        var shuffled = messages.OrderBy(_ => Random.Shared.Next()).ToList();
        var updates = await Task.WhenAll(shuffled.Select(m => Task.Run(() => Store.AdvanceReadCursorAsync(group.Id, "bob", m.Id, Ct))));
        Assert.That(updates.Select(u => u.Status), Has.None.EqualTo(ReadCursorUpdateStatus.MessageNotFound));
        Assert.That((await Store.GetReadCursorAsync(group.Id, "bob", Ct))!.MessageId, Is.EqualTo(messages[^1].Id));
    }

    [Test]
    public async Task Every_members_cursor_is_listed()
    {
        var group = await GroupAsync("alice", "bob", "carol");
        var m1 = await SendAsync(group, "alice");
        var m2 = await SendAsync(group, "alice");
        await Store.AdvanceReadCursorAsync(group.Id, "carol", m1.Id, Ct);
        await Store.AdvanceReadCursorAsync(group.Id, "bob", m2.Id, Ct);
        var cursors = await Store.ListReadCursorsAsync(group.Id, Ct);
        Assert.That(cursors.Select(c => (c.UserId, c.MessageId)), Is.EqualTo(new[] { ("bob", m2.Id), ("carol", m1.Id) }));
    }

    [Test]
    public async Task Read_marks_keep_the_first_time_and_refuse_what_the_user_cannot_see()
    {
        var group = await GroupAsync("alice", "bob");
        var other = await GroupAsync("carol");
        var m1 = await SendAsync(group, "alice", "1");
        var m2 = await SendAsync(group, "alice", "2");
        var hidden = await SendAsync(other, "carol", "not for bob");

        var marked = await Store.MarkReadAsync("bob", [m1.Id, "000000000000000000000000", m2.Id, hidden.Id, m1.Id], Ct);
        Assert.That(marked.Marks, Is.EqualTo(new[] { new ReadMark(m1.Id, group.Id, "bob", T0), new ReadMark(m2.Id, group.Id, "bob", T0) }));
        Assert.That(marked.Refused, Is.EqualTo(new[] { "000000000000000000000000", hidden.Id }));

        Clock.Advance(TimeSpan.FromSeconds(5));
        var again = await Store.MarkReadAsync("bob", [m2.Id, m1.Id], Ct);
        Assert.That(again.Marks, Is.EqualTo(new[] { new ReadMark(m2.Id, group.Id, "bob", T0), new ReadMark(m1.Id, group.Id, "bob", T0) }));
        await Store.MarkReadAsync("alice", [m1.Id], Ct);

        var readers = await Store.ListReadMarksAsync([m1.Id, m2.Id, hidden.Id], Ct);
        Assert.That(readers.Where(r => r.MessageId == m1.Id).Select(r => (r.UserId, r.ReadAt)),
            Is.EqualTo(new[] { ("bob", T0), ("alice", T0.AddSeconds(5)) }), "by read time");
        Assert.That(readers.Where(r => r.MessageId == m2.Id).Select(r => r.UserId), Is.EqualTo(new[] { "bob" }));
        Assert.That(readers.Where(r => r.MessageId == hidden.Id), Is.Empty);
        var nothing = await Store.MarkReadAsync("bob", [], Ct);
        Assert.That(nothing.Marks, Is.Empty);
        Assert.That(nothing.Refused, Is.Empty);
        Assert.That(await Store.ListReadMarksAsync([], Ct), Is.Empty);
    }
}
