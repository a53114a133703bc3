using SocketIoServer.Tests.Chat.Storage;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.Durability;

/// <summary>
/// No loss: the server is killed (SIGKILL) while clients send; after a restart every message that was acknowledged
/// is in the store and in the backfill, and retrying the unacknowledged ones with their clientIds stores each once.
/// </summary>
[TestFixture]
public sealed class KillDuringSendTests
{
    [TestCase("sqlite")]
    [TestCase("postgres")]
    public async Task EveryAcknowledgedMessage_SurvivesASigkill(string store)
    {
        var environment = new Dictionary<string, string> { ["JWT_SECRET"] = ChatTestServer.Secret };
        var directory = Path.Combine(Path.GetTempPath(), "chat-kill-tests", Guid.NewGuid().ToString("N"));
        if (store == "sqlite") environment["SQLITE_PATH"] = Path.Combine(directory, "chat.db");
        else environment["DATABASE_URL"] = (await PostgresTestServer.NewSchemaAsync()).ConnectionString;

        await using var server = new ChatServerProcess(environment);
        await server.StartAsync();
        var members = new[] { "alice", "bob", "carol" };
        var chatId = await SendLoad.CreateChatAsync(server.Url, "alice", "group", "bob", "carol");
        var clients = new List<TestClient>();
        foreach (var user in members)
            clients.Add(await TestClient.ConnectAsync(server.Url, ClientTransport.WebSocket, "/", new { token = ChatTestServer.Token(user) }));
        var load = SendLoad.Start([.. members.Zip(clients)], chatId);

        await TestWait.UntilAsync(() => load.Acked.Count >= 15, "some acknowledged messages before the kill", TimeSpan.FromSeconds(20));
        await server.KillAsync();
        await load.StopAsync();
        foreach (var client in clients) await client.DisposeAsync();
        var ackedBeforeKill = load.Acked.Values.ToList();
        Assert.That(ackedBeforeKill, Is.Not.Empty);

        await server.StartAsync();
        var storedIds = (await SendLoad.BackfillAsync(server.Url, chatId, "alice")).Select(m => m["_id"]!.GetValue<string>()).ToHashSet();
        Assert.That(ackedBeforeKill.Where(id => !storedIds.Contains(id)), Is.Empty, "every acknowledged message is in the backfill");

        // the senders retry what was not acknowledged, with the same clientIds: each is stored exactly once
        await load.RetryUnacknowledgedAsync(server.Url);
        var after = await SendLoad.BackfillAsync(server.Url, chatId, "alice");
        Assert.That(after.Select(m => m["clientId"]!.GetValue<string>()), Is.Unique, "no message stored twice");
        Assert.That(after.Count, Is.EqualTo(load.Attempted.Count));
        if (Directory.Exists(directory))
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
        }
    }
}
