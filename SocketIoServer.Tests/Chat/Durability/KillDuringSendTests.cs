using System.Collections.Concurrent;
using System.Text.Json.Nodes;
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
        string chatId;
        using (var http = new HttpClient { BaseAddress = new Uri(server.Url) })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", ChatTestServer.Token("alice"));
            var created = await http.PostAsync("/v1/chats", ChatTestServer.JsonContent(new JsonObject
            {
                ["type"] = "group",
                ["memberIds"] = new JsonArray("bob", "carol"),
            }));
            chatId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["_id"]!.GetValue<string>();
        }

        var acked = new ConcurrentDictionary<string, string>(); // clientId → serverId
        var attempted = new ConcurrentBag<(string User, string ClientId, string Body)>();
        var clients = new List<TestClient>();
        foreach (var user in members)
            clients.Add(await TestClient.ConnectAsync(server.Url, ClientTransport.WebSocket, "/", new { token = ChatTestServer.Token(user) }));

        using var stop = new CancellationTokenSource();
        var senders = clients.Select((client, i) => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var clientId = Guid.NewGuid().ToString();
                var body = $"{members[i]} #{n}";
                attempted.Add((members[i], clientId, body));
                try
                {
                    var answer = TestWait.Source<JsonNode?>();
                    await client.Socket.EmitAsync("message:send", r => answer.TrySetResult(new ReceivedEvent("ack", r).Args.FirstOrDefault()),
                        new { chatId, body, clientId });
                    var ack = await answer.Task.WaitAsync(TimeSpan.FromSeconds(2));
                    if (ack?["ok"]?.GetValue<bool>() == true) acked[clientId] = ack["data"]!["serverId"]!.GetValue<string>();
                    else if (ack?["error"]?.GetValue<string>() == "RATE_LIMITED") await Task.Delay(200);
                }
                catch (Exception)
                {
                    return; // the server is gone
                }
            }
        })).ToList();

        await TestWait.UntilAsync(() => acked.Count >= 15, "some acknowledged messages before the kill", TimeSpan.FromSeconds(20));
        await server.KillAsync();
        stop.Cancel();
        await Task.WhenAll(senders);
        foreach (var client in clients) await client.DisposeAsync();
        Assert.That(acked, Is.Not.Empty);

        await server.StartAsync();
        var stored = await BackfillAsync(server, chatId);
        var storedIds = stored.Select(m => m["_id"]!.GetValue<string>()).ToHashSet();
        Assert.That(acked.Values.Where(id => !storedIds.Contains(id)), Is.Empty, "every acknowledged message is in the backfill");

        // the senders retry what was not acknowledged, with the same clientIds: each is stored exactly once
        foreach (var user in members)
        {
            await using var client = await TestClient.ConnectAsync(server.Url, ClientTransport.WebSocket, "/", new { token = ChatTestServer.Token(user) });
            foreach (var (_, clientId, body) in attempted.Where(a => a.User == user && !acked.ContainsKey(a.ClientId)))
            {
                var ack = (await client.AskAsync("message:send", new { chatId, body, clientId }))!;
                if (ack["error"]?.GetValue<string>() == "RATE_LIMITED")
                {
                    await Task.Delay(10_000);
                    ack = (await client.AskAsync("message:send", new { chatId, body, clientId }))!;
                }
                Assert.That(ack["ok"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
            }
        }
        var after = await BackfillAsync(server, chatId);
        Assert.That(after.Select(m => m["clientId"]!.GetValue<string>()), Is.Unique, "no message stored twice");
        Assert.That(after.Count, Is.EqualTo(attempted.Count));
        if (Directory.Exists(directory))
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>Every message of the chat through <c>GET /v1/chats/{id}/messages</c>, page by page.</summary>
    private static async Task<List<JsonObject>> BackfillAsync(ChatServerProcess server, string chatId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ChatTestServer.Token("alice"));
        var all = new List<JsonObject>();
        string? after = null;
        while (true)
        {
            var url = $"/v1/chats/{chatId}/messages?limit=200" + (after is null ? "&after=1970-01-01T00:00:00.000Z" : "&after=" + after);
            var response = await http.GetAsync(url);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(m => m!.AsObject()).ToList();
            all.AddRange(page);
            if (page.Count < 200) return all;
            after = page[^1]["_id"]!.GetValue<string>();
        }
    }
}
