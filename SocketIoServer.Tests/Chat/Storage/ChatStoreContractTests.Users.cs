using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

public abstract partial class ChatStoreContractTests
{
    [Test]
    public async Task Upsert_creates_a_user_then_moves_updatedAt_only_when_the_name_changes()
    {
        var created = await Store.UpsertUserAsync("u1", "Ann", Ct);
        Assert.That(created, Is.EqualTo(new ChatUser("u1", "Ann", T0, T0, null)));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var reconnected = await Store.UpsertUserAsync("u1", "Ann", Ct);
        Assert.That(reconnected, Is.EqualTo(created));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var renamed = await Store.UpsertUserAsync("u1", "Anne", Ct);
        Assert.That(renamed, Is.EqualTo(new ChatUser("u1", "Anne", T0, T0.AddSeconds(2), null)));
    }

    [Test]
    public async Task Last_seen_is_set_to_now_and_unknown_users_are_reported()
    {
        await Store.UpsertUserAsync("u1", "Ann", Ct);
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await Store.TouchLastSeenAsync("u1", Ct), Is.EqualTo(T0.AddMinutes(5)));
        Assert.That(await Store.TouchLastSeenAsync("nobody", Ct), Is.Null);
        var users = await Store.GetUsersAsync(["u1"], Ct);
        Assert.That(users.Single().LastSeenAt, Is.EqualTo(T0.AddMinutes(5)));
    }

    [Test]
    public async Task Get_users_returns_the_known_ones_once()
    {
        await Store.UpsertUserAsync("u1", "Ann", Ct);
        await Store.UpsertUserAsync("u2", "Bob", Ct);
        var users = await Store.GetUsersAsync(["u2", "nobody", "u1", "u2"], Ct);
        Assert.That(users.Select(u => u.Id), Is.EquivalentTo(new[] { "u1", "u2" }));
        Assert.That(await Store.GetUsersAsync([], Ct), Is.Empty);
    }

    [Test]
    public void Empty_ids_are_refused()
    {
        Assert.ThrowsAsync<ArgumentException>(() => Store.UpsertUserAsync("", "Ann", Ct));
        Assert.ThrowsAsync<ArgumentException>(() => Store.GetUsersAsync(["u1", ""], Ct));
        Assert.ThrowsAsync<ArgumentException>(() => Store.IsMemberAsync("c", "", Ct));
        Assert.ThrowsAsync<ArgumentException>(() => Store.GetUsersAsync(Enumerable.Range(0, 1001).Select(i => $"u{i}").ToList(), Ct));
    }
}
