using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.Support;

/// <summary>
/// Clients sending seed 002's <c>message:send</c> into one chat in a loop, each message with a fresh clientId, until
/// stopped or until their server is gone; remembers every attempt and the server id of every acknowledged one, and
/// can retry the unacknowledged ones with their clientIds (what a real client's outbox does after a reconnect).
/// </summary>
public sealed class SendLoad
{
    private readonly string _chatId;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _senders;

    private SendLoad(IReadOnlyList<(string User, TestClient Client)> senders, string chatId)
    {
        _chatId = chatId;
        _senders = [.. senders.Select(s => Task.Run(() => SendUntilStoppedAsync(s.User, s.Client)))];
    }

    /// <summary>clientId → server id of each acknowledged message.</summary>
    public ConcurrentDictionary<string, string> Acked { get; } = new();

    public ConcurrentBag<(string User, string ClientId, string Body)> Attempted { get; } = [];

    public static SendLoad Start(IReadOnlyList<(string User, TestClient Client)> senders, string chatId) => new(senders, chatId);

    /// <summary>Stops sending and waits for every sender to end.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
    }

    private async Task SendUntilStoppedAsync(string user, TestClient client)
    {
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var clientId = Guid.NewGuid().ToString();
            var body = $"{user} #{n}";
            Attempted.Add((user, clientId, body));
            try
            {
                var answer = TestWait.Source<JsonNode?>();
                await client.Socket.EmitAsync("message:send", r => answer.TrySetResult(new ReceivedEvent("ack", r).Args.FirstOrDefault()),
                    new { chatId = _chatId, body, clientId });
                var ack = await answer.Task.WaitAsync(TimeSpan.FromSeconds(2));
                if (ack?["ok"]?.GetValue<bool>() == true) Acked[clientId] = ack["data"]!["serverId"]!.GetValue<string>();
                else if (ack?["error"]?.GetValue<string>() == "RATE_LIMITED") await Task.Delay(200);
            }
            catch (Exception)
            {
                return; // the server is gone
            }
        }
    }

    /// <summary>
    /// Each user connects to <paramref name="serverUrl"/> and sends again what was not acknowledged, with the same
    /// clientIds; each must be accepted (waiting out the rate limit once when it is hit).
    /// </summary>
    public async Task RetryUnacknowledgedAsync(string serverUrl)
    {
        foreach (var user in Attempted.Select(a => a.User).Distinct())
        {
            await using var client = await TestClient.ConnectAsync(serverUrl, ClientTransport.WebSocket, "/", new { token = ChatTestServer.Token(user) });
            foreach (var (_, clientId, body) in Attempted.Where(a => a.User == user && !Acked.ContainsKey(a.ClientId)))
            {
                var ack = (await client.AskAsync("message:send", new { chatId = _chatId, body, clientId }))!;
                if (ack["error"]?.GetValue<string>() == "RATE_LIMITED")
                {
                    await Task.Delay(10_000);
                    ack = (await client.AskAsync("message:send", new { chatId = _chatId, body, clientId }))!;
                }
                Assert.That(ack["ok"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
                Acked[clientId] = ack["data"]!["serverId"]!.GetValue<string>();
            }
        }
    }

    /// <summary>Every message of the chat through <c>GET /v1/chats/{id}/messages</c>, page by page, as <paramref name="userId"/>.</summary>
    public static async Task<List<JsonObject>> BackfillAsync(string serverUrl, string chatId, string userId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(serverUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ChatTestServer.Token(userId));
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

    /// <summary>Creates a dm or group through the HTTP API of <paramref name="serverUrl"/>, as its first member; returns its id.</summary>
    public static async Task<string> CreateChatAsync(string serverUrl, string creator, string type, params string[] members)
    {
        using var http = new HttpClient { BaseAddress = new Uri(serverUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ChatTestServer.Token(creator));
        var response = await http.PostAsync("/v1/chats", ChatTestServer.JsonContent(new JsonObject
        {
            ["type"] = type,
            ["title"] = type == "group" ? "Group" : null,
            ["memberIds"] = new JsonArray([.. members.Select(m => (JsonNode)m)]),
        }));
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["_id"]!.GetValue<string>();
    }
}
