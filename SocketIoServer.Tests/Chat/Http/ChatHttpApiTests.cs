using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SocketIoServer.Tests.Chat.Support;
using static SocketIoServer.Tests.Chat.Famly.FamlyTestKit;

namespace SocketIoServer.Tests.Chat.Http;

/// <summary>The HTTP API of CONTRACTS.md section 5 and its one error shape, against the chat server on SQLite.</summary>
[TestFixture]
public sealed class ChatHttpApiTests
{
    private static async Task<(HttpStatusCode Status, JsonNode? Body)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static void AssertError((HttpStatusCode Status, JsonNode? Body) result, HttpStatusCode status, string code)
    {
        Assert.That(result.Status, Is.EqualTo(status), result.Body?.ToJsonString());
        var body = result.Body!.AsObject();
        Assert.That(body.Select(p => p.Key), Is.EqualTo(new[] { "error", "message", "correlationId" }));
        Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo(code));
        Assert.That(Guid.TryParse(body["correlationId"]!.GetValue<string>(), out _), Is.True);
    }

    [Test]
    public async Task WithoutAValidToken_Unauthorized()
    {
        await using var server = await ChatTestServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.Url) };
        AssertError(await ReadAsync(await anonymous.GetAsync("/v1/chats")), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", new global::SocketIoServer.Chat.Auth.Hs256Jwt("other").Issue(new JsonObject { ["sub"] = "x" }));
        AssertError(await ReadAsync(await anonymous.GetAsync("/v1/chats")), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Test]
    public async Task CreateListAndGet()
    {
        await using var server = await ChatTestServer.StartAsync();
        using var alice = server.Http("alice");
        var created = await ReadAsync(await alice.PostAsync("/v1/chats", ChatTestServer.JsonContent(new JsonObject
        {
            ["type"] = "group", ["title"] = "Team", ["memberIds"] = new JsonArray("bob", "carol", "bob"),
        })));
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created));
        var chat = created.Body!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(chat.Select(p => p.Key), Is.EqualTo(new[] { "_id", "type", "title", "memberIds", "createdBy", "createdAt", "updatedAt" }));
            Assert.That(chat["type"]!.GetValue<string>(), Is.EqualTo("group"));
            Assert.That(chat["title"]!.GetValue<string>(), Is.EqualTo("Team"));
            Assert.That(chat["memberIds"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EquivalentTo(new[] { "alice", "bob", "carol" }));
            Assert.That(chat["createdBy"]!.GetValue<string>(), Is.EqualTo("alice"));
        });
        var id = chat["_id"]!.GetValue<string>();

        var list = await ReadAsync(await alice.GetAsync("/v1/chats"));
        Assert.That(list.Body!.AsArray().Select(c => c!["_id"]!.GetValue<string>()), Is.EqualTo(new[] { id }));
        using var dave = server.Http("dave");
        Assert.That((await ReadAsync(await dave.GetAsync("/v1/chats"))).Body!.AsArray(), Is.Empty);
        Assert.That((await ReadAsync(await alice.GetAsync($"/v1/chats/{id}"))).Body!["_id"]!.GetValue<string>(), Is.EqualTo(id));
        AssertError(await ReadAsync(await dave.GetAsync($"/v1/chats/{id}")), HttpStatusCode.Forbidden, "FORBIDDEN");
        AssertError(await ReadAsync(await dave.GetAsync("/v1/chats/0123456789abcdef01234567")), HttpStatusCode.Forbidden, "FORBIDDEN");
        AssertError(await ReadAsync(await dave.PatchAsync($"/v1/chats/{id}", ChatTestServer.JsonContent(new JsonObject { ["title"] = "mine" }))),
            HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [TestCase("""{"type":"channel","memberIds":["bob"]}""")]
    [TestCase("""{"type":"dm","memberIds":["bob","carol"]}""")]
    [TestCase("""{"type":"dm","memberIds":[]}""")]
    [TestCase("""{"type":"group","memberIds":"bob"}""")]
    [TestCase("""{"type":"group","memberIds":["bob",5]}""")]
    [TestCase("""{"type":"group","memberIds":["bob"],"title":7}""")]
    [TestCase("""[1,2]""")]
    [TestCase("""not json""")]
    public async Task BadChats_AreValidationErrors(string body)
    {
        await using var server = await ChatTestServer.StartAsync();
        using var alice = server.Http("alice");
        AssertError(await ReadAsync(await alice.PostAsync("/v1/chats", new StringContent(body, Encoding.UTF8, "application/json"))),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Test]
    public async Task Messages_Backfill_WithLimitAndAfter()
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var client = await ConnectAsync(server, "alice");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await SendAsync(client, chatId, "m" + i));
        using var alice = server.Http("alice");

        var newest = await ReadAsync(await alice.GetAsync($"/v1/chats/{chatId}/messages?limit=2"));
        Assert.That(newest.Body!.AsArray().Select(m => m!["body"]!.GetValue<string>()), Is.EqualTo(new[] { "m3", "m4" }), "the newest, oldest first");
        var afterId = await ReadAsync(await alice.GetAsync($"/v1/chats/{chatId}/messages?after={ids[1]}&limit=200"));
        Assert.That(afterId.Body!.AsArray().Select(m => m!["_id"]!.GetValue<string>()), Is.EqualTo(ids.Skip(2)));
        var afterTime = await ReadAsync(await alice.GetAsync($"/v1/chats/{chatId}/messages?after=2000-01-01T00:00:00.000Z"));
        Assert.That(afterTime.Body!.AsArray(), Has.Count.EqualTo(5));

        foreach (var limit in new[] { "0", "201", "-1", "abc", "1.5" })
            AssertError(await ReadAsync(await alice.GetAsync($"/v1/chats/{chatId}/messages?limit={limit}")), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        AssertError(await ReadAsync(await alice.GetAsync($"/v1/chats/{chatId}/messages?after=0123456789abcdef01234567")), HttpStatusCode.NotFound, "NOT_FOUND");
        using var carol = server.Http("carol");
        AssertError(await ReadAsync(await carol.GetAsync($"/v1/chats/{chatId}/messages")), HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Test]
    public async Task DeleteMessage_SenderOnly_AnnouncesMessageDeleted()
    {
        await using var server = await ChatTestServer.StartAsync();
        var chatId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var aliceSocket = await ConnectAsync(server, "alice");
        await using var bobSocket = await ConnectAsync(server, "bob");
        var id = await SendAsync(aliceSocket, chatId, "oops");

        using var bob = server.Http("bob");
        AssertError(await ReadAsync(await bob.DeleteAsync($"/v1/messages/{id}")), HttpStatusCode.Forbidden, "FORBIDDEN");
        AssertError(await ReadAsync(await bob.DeleteAsync("/v1/messages/0123456789abcdef01234567")), HttpStatusCode.NotFound, "NOT_FOUND");
        using var alice = server.Http("alice");
        Assert.That((await alice.DeleteAsync($"/v1/messages/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var deleted = (await bobSocket.Events.WaitAsync("message:deleted")).Args[0]!;
        Assert.That(deleted.ToJsonString(), Is.EqualTo($$"""{"messageId":"{{id}}","conversationId":"{{chatId}}","deletedBy":"alice"}"""));
        var backfill = await ReadAsync(await alice.GetAsync($"/v1/chats/{chatId}/messages"));
        Assert.That(backfill.Body!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Health_Answers()
    {
        await using var server = await ChatTestServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.Url) };
        Assert.That((await anonymous.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
