using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

public abstract partial class ChatStoreContractTests
{
    [Test]
    public async Task A_group_has_its_creator_and_each_member_once()
    {
        var group = await Store.CreateConversationAsync(
            new NewConversation(ConversationKind.Group, "team", "carol", ["bob", "alice", "bob", "carol"]), Ct);
        Assert.Multiple(() =>
        {
            Assert.That(IsObjectId(group.Id), Is.True, group.Id);
            Assert.That(group.Kind, Is.EqualTo(ConversationKind.Group));
            Assert.That(group.Title, Is.EqualTo("team"));
            Assert.That(group.CreatedBy, Is.EqualTo("carol"));
            Assert.That(group.CreatedAt, Is.EqualTo(T0));
            Assert.That(group.UpdatedAt, Is.EqualTo(T0));
            Assert.That(group.LastMessageAt, Is.Null);
            // joined at the same time: by id
            Assert.That(group.MemberIds, Is.EqualTo(new[] { "alice", "bob", "carol" }));
        });
        var read = await Store.GetConversationAsync(group.Id, Ct);
        Assert.That(read, Is.Not.Null);
        Assert.That(read! with { MemberIds = [] }, Is.EqualTo(group with { MemberIds = [] }));
        Assert.That(read.MemberIds, Is.EqualTo(group.MemberIds));
    }

    [Test]
    public async Task A_dm_is_kept_as_a_dm_without_title()
    {
        var dm = await Store.CreateConversationAsync(new NewConversation(ConversationKind.Dm, null, "alice", ["bob"]), Ct);
        var read = await Store.GetConversationAsync(dm.Id, Ct);
        Assert.That(read!.Kind, Is.EqualTo(ConversationKind.Dm));
        Assert.That(read.Title, Is.Null);
        Assert.That(read.MemberIds, Is.EqualTo(new[] { "alice", "bob" }));
    }

    [Test]
    public void Open_conversations_are_not_created_but_joined()
    {
        Assert.ThrowsAsync<ArgumentException>(() =>
            Store.CreateConversationAsync(new NewConversation(ConversationKind.Open, null, "alice", []), Ct));
        Assert.ThrowsAsync<ArgumentException>(() =>
            Store.CreateConversationAsync(new NewConversation(ConversationKind.Group, null, "", ["bob"]), Ct));
    }

    [Test]
    public async Task An_unknown_conversation_is_null()
    {
        Assert.That(await Store.GetConversationAsync("000000000000000000000000", Ct), Is.Null);
    }

    [Test]
    public async Task The_first_join_creates_an_open_conversation_and_later_joins_add_members()
    {
        var first = await Store.JoinOpenConversationAsync("LOBBY", "bob", Ct);
        Assert.That(first.Status, Is.EqualTo(OpenConversationJoinStatus.Created));
        Assert.That(first.Conversation!.Kind, Is.EqualTo(ConversationKind.Open));
        Assert.That(first.Conversation.CreatedBy, Is.EqualTo("bob"));
        Assert.That(first.Conversation.MemberIds, Is.EqualTo(new[] { "bob" }));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await Store.JoinOpenConversationAsync("LOBBY", "alice", Ct);
        Assert.That(second.Status, Is.EqualTo(OpenConversationJoinStatus.Joined));
        Assert.That(second.Conversation!.MemberIds, Is.EqualTo(new[] { "bob", "alice" }), "in the order they joined");
        Assert.That(second.Conversation.UpdatedAt, Is.EqualTo(T0.AddSeconds(1)));

        var again = await Store.JoinOpenConversationAsync("LOBBY", "alice", Ct);
        Assert.That(again.Status, Is.EqualTo(OpenConversationJoinStatus.AlreadyMember));
        Assert.That(again.Conversation!.MemberIds, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Joining_a_group_as_an_open_room_is_refused()
    {
        var group = await GroupAsync("alice");
        var join = await Store.JoinOpenConversationAsync(group.Id, "mallory", Ct);
        Assert.That(join, Is.EqualTo(new OpenConversationJoin(OpenConversationJoinStatus.NotOpen, null)));
        Assert.That(await Store.IsMemberAsync(group.Id, "mallory", Ct), Is.False);
    }

    [Test]
    public async Task Concurrent_first_joins_create_the_open_conversation_once()
    {
        var users = Enumerable.Range(0, 8).Select(i => $"user{i}").ToList();
        var joins = await Task.WhenAll(users.Select(u => Task.Run(() => Store.JoinOpenConversationAsync("RACE", u, Ct))));
        Assert.That(joins.Count(j => j.Status == OpenConversationJoinStatus.Created), Is.EqualTo(1));
        Assert.That(joins.Count(j => j.Status == OpenConversationJoinStatus.Joined), Is.EqualTo(7));
        Assert.That(await Database.CountAsync("conversations"), Is.EqualTo(1));
        Assert.That((await Store.GetConversationAsync("RACE", Ct))!.MemberIds, Is.EquivalentTo(users));
    }

    [Test]
    public async Task A_users_conversations_are_listed_most_recently_active_first()
    {
        var older = await GroupAsync("alice", "bob");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var newer = await GroupAsync("alice");
        await GroupAsync("carol");
        Assert.That((await Store.ListConversationsAsync("alice", Ct)).Select(c => c.Id), Is.EqualTo(new[] { newer.Id, older.Id }));

        Clock.Advance(TimeSpan.FromSeconds(1));
        await SendAsync(older, "bob");
        var list = await Store.ListConversationsAsync("alice", Ct);
        Assert.That(list.Select(c => c.Id), Is.EqualTo(new[] { older.Id, newer.Id }), "a new message makes a conversation the most recent");
        Assert.That(list[0].MemberIds, Is.EqualTo(new[] { "alice", "bob" }));
        Assert.That(list[0].LastMessageAt, Is.EqualTo(T0.AddSeconds(2)));
        Assert.That(list[1].MemberIds, Is.EqualTo(new[] { "alice" }));
        Assert.That(await Store.ListConversationsAsync("nobody", Ct), Is.Empty);
    }

    [Test]
    public async Task The_title_changes_and_moves_updatedAt()
    {
        var group = await GroupAsync("alice");
        Clock.Advance(TimeSpan.FromSeconds(3));
        var renamed = await Store.UpdateTitleAsync(group.Id, "renamed", Ct);
        Assert.That(renamed!.Title, Is.EqualTo("renamed"));
        Assert.That(renamed.UpdatedAt, Is.EqualTo(T0.AddSeconds(3)));
        Assert.That(renamed.CreatedAt, Is.EqualTo(T0));
        Assert.That((await Store.UpdateTitleAsync(group.Id, null, Ct))!.Title, Is.Null);
        Assert.That(await Store.UpdateTitleAsync("000000000000000000000000", "x", Ct), Is.Null);
    }

    [Test]
    public async Task Members_are_added_and_removed_once()
    {
        var group = await GroupAsync("alice");
        Clock.Advance(TimeSpan.FromSeconds(1));

        var added = await Store.AddMemberAsync(group.Id, "bob", Ct);
        Assert.That(added.Status, Is.EqualTo(MembershipChangeStatus.Changed));
        Assert.That(added.Conversation!.MemberIds, Is.EqualTo(new[] { "alice", "bob" }));
        Assert.That(added.Conversation.UpdatedAt, Is.EqualTo(T0.AddSeconds(1)));
        Assert.That(await Store.IsMemberAsync(group.Id, "bob", Ct), Is.True);

        Clock.Advance(TimeSpan.FromSeconds(1));
        var again = await Store.AddMemberAsync(group.Id, "bob", Ct);
        Assert.That(again.Status, Is.EqualTo(MembershipChangeStatus.Unchanged));
        Assert.That(again.Conversation!.UpdatedAt, Is.EqualTo(T0.AddSeconds(1)), "nothing changed");

        var removed = await Store.RemoveMemberAsync(group.Id, "bob", Ct);
        Assert.That(removed.Status, Is.EqualTo(MembershipChangeStatus.Changed));
        Assert.That(removed.Conversation!.MemberIds, Is.EqualTo(new[] { "alice" }));
        Assert.That(await Store.IsMemberAsync(group.Id, "bob", Ct), Is.False);
        Assert.That((await Store.RemoveMemberAsync(group.Id, "bob", Ct)).Status, Is.EqualTo(MembershipChangeStatus.Unchanged));

        Assert.That(await Store.AddMemberAsync("000000000000000000000000", "bob", Ct), Is.EqualTo(MembershipChange.NotFound));
        Assert.That(await Store.RemoveMemberAsync("000000000000000000000000", "bob", Ct), Is.EqualTo(MembershipChange.NotFound));
        Assert.That(await Store.IsMemberAsync("000000000000000000000000", "alice", Ct), Is.False);
    }

    [Test]
    public async Task Contacts_are_the_people_met_in_dms_and_groups_not_open_rooms()
    {
        await Store.CreateConversationAsync(new NewConversation(ConversationKind.Dm, null, "alice", ["bob"]), Ct);
        await GroupAsync("carol", "alice", "dave", "bob");
        await Store.JoinOpenConversationAsync("LOBBY", "alice", Ct);
        await Store.JoinOpenConversationAsync("LOBBY", "erin", Ct);
        await GroupAsync("frank", "gina");
        Assert.That(await Store.ListContactIdsAsync("alice", Ct), Is.EqualTo(new[] { "bob", "carol", "dave" }));
        Assert.That(await Store.ListContactIdsAsync("erin", Ct), Is.Empty);
    }
}
