using System.Text.Json.Nodes;
using SocketIoServer.Tests.Chat.Storage;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.DeedO;

/// <summary>Helpers of the Deed-O tests: the chat server on either store, a client recording seed 004's broadcasts.</summary>
internal static class DeedOTestKit
{
    public static readonly string[] Broadcasts = ["newMessage", "userOnline", "messageRead", "error"];

    /// <summary>The chat server on "sqlite" or "postgres" (a fresh schema in the test PostgreSQL server).</summary>
    public static async Task<ChatTestServer> StartAsync(string store, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null,
        params (string Key, string Value)[] settings)
    {
        var databaseUrl = store == "postgres" ? (await PostgresTestServer.NewSchemaAsync()).ConnectionString : null;
        return await ChatTestServer.StartAsync(databaseUrl, configure, settings);
    }

    public static Task<TestClient> ConnectAsync(ChatTestServer server, string userId, ClientTransport transport = ClientTransport.WebSocket) =>
        TestClient.ConnectAsync(server.Url, transport, "/", new { token = ChatTestServer.Token(userId) }, Broadcasts);

    /// <summary>Sends and waits for the sender's own <c>newMessage</c>; returns it.</summary>
    public static async Task<JsonObject> SendAsync(TestClient client, string groupId, string text, object? attachments = null)
    {
        var before = client.Events.Count("newMessage");
        await client.EmitAsync("sendMessage", new { groupId, text, attachments = attachments ?? Array.Empty<object>() });
        var all = await client.Events.WaitCountAsync("newMessage", before + 1);
        var mine = all.Select(e => e.Args[0]!.AsObject()).LastOrDefault(m => m["text"]!.GetValue<string>() == text && m["groupId"]!.GetValue<string>() == groupId);
        Assert.That(mine, Is.Not.Null, $"newMessage for \"{text}\"");
        return mine!;
    }

    /// <summary>The next <c>error</c> event after <paramref name="seen"/> of them; returns its message.</summary>
    public static async Task<string> NextErrorAsync(TestClient client, int seen)
    {
        var errors = await client.Events.WaitCountAsync("error", seen + 1);
        var error = errors[seen].Args[0]!.AsObject();
        Assert.That(error.Select(p => p.Key), Is.EqualTo(new[] { "message" }), error.ToJsonString());
        return error["message"]!.GetValue<string>();
    }
}
