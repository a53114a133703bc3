using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

public abstract partial class ChatStoreContractTests
{
    [Test]
    public async Task Initializing_again_changes_nothing_and_keeps_the_data()
    {
        var group = await GroupAsync("alice");
        var message = await SendAsync(group, "alice");
        var versions = await Database.CountAsync("schema_version");

        var again = await Store.InitializeAsync(Ct);
        Assert.That(again.Applied, Is.Zero);
        Assert.That(again.FromVersion, Is.EqualTo(again.ToVersion));
        Assert.That(versions, Is.EqualTo(again.ToVersion), "one row per migration");

        await RestartAsync();
        Assert.That(await Store.GetMessageAsync(message.Id, Ct), Is.EqualTo(message));
        Assert.That(await Database.CountAsync("schema_version"), Is.EqualTo(versions));
    }

    [Test]
    public async Task Servers_starting_at_once_migrate_a_new_database_once()
    {
        var fresh = await NewDatabaseAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => fresh.NewStore(Clock)).ToList();
        try
        {
            var results = await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(Ct))));
            var latest = results[0].ToVersion;
            Assert.That(results.Sum(r => r.Applied), Is.EqualTo(latest), "exactly one of them applied the migrations");
            Assert.That(results.Select(r => r.ToVersion), Is.All.EqualTo(latest));
            Assert.That(await fresh.CountAsync("schema_version"), Is.EqualTo(latest));
            await stores[3].UpsertUserAsync("u1", "Ann", Ct);
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    [Test]
    public async Task A_database_from_a_newer_server_is_refused()
    {
        await Database.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) SELECT 99, 'from the future', applied_at FROM schema_version WHERE version = 1");
        await using var store = Database.NewStore(Clock);
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(Ct));
        Assert.That(error!.Message, Does.Contain("schema version 99"));
    }

    [Test]
    public async Task The_store_answers_a_ping_until_disposed()
    {
        await Store.PingAsync(Ct);
        await Store.DisposeAsync();
        Assert.ThrowsAsync<ObjectDisposedException>(() => Store.PingAsync(Ct));
        await Store.DisposeAsync(); // twice is fine
        Store = await OpenAsync(Database);
    }
}
