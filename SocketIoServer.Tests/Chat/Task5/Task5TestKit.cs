using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using SocketIoServer.Tests.Chat.Storage;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.Task5;

/// <summary>Helpers of the Task-5 (seed 001) tests: a server on either store, a signed-in client recording seed 001's broadcasts, ack checks.</summary>
internal static class Task5TestKit
{
    public static readonly string[] Broadcasts =
    [
        "online-users", "user-online", "user-offline", "user-joined", "user-left", "new-message", "user-typing",
        "user-stopped-typing", "messages-read", "presence-update", "message:new",
    ];

    /// <summary>The chat server on SQLite (<c>"sqlite"</c>) or on a fresh PostgreSQL schema (<c>"postgres"</c>).</summary>
    public static async Task<ChatTestServer> StartAsync(string store, Action<WebApplicationBuilder>? configure = null) => store switch
    {
        "sqlite" => await ChatTestServer.StartAsync(configure: configure),
        "postgres" => await ChatTestServer.StartAsync(databaseUrl: (await PostgresTestServer.NewSchemaAsync()).ConnectionString, configure: configure),
        _ => throw new ArgumentOutOfRangeException(nameof(store), store, "sqlite or postgres"),
    };

    public static Task<TestClient> ConnectAsync(ChatTestServer server, string userId, string? name = null) =>
        TestClient.ConnectAsync(server.Url, ClientTransport.WebSocket, "/", new { token = ChatTestServer.Token(userId, name) }, Broadcasts);

    public static async Task<JsonObject> AckAsync(TestClient client, string eventName, object payload) =>
        (await client.AskAsync(eventName, payload))!.AsObject();

    public static void AssertSuccess(JsonObject ack) => Assert.That(ack["success"]!.GetValue<bool>(), Is.True, ack.ToJsonString());

    /// <summary>A refusal the seed words itself: exactly <c>{success:false, error}</c>.</summary>
    public static void AssertSeedError(JsonObject ack, string error) =>
        Assert.That(ack.ToJsonString(), Is.EqualTo(new JsonObject { ["success"] = false, ["error"] = error }.ToJsonString()));

    /// <summary>A refusal the seed has no words for: its shape, plus seed 002's code and a correlation id; returns the message.</summary>
    public static string AssertCodedError(JsonObject ack, string code)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ack.Select(p => p.Key), Is.EqualTo(new[] { "success", "error", "code", "correlationId" }), ack.ToJsonString());
            Assert.That(ack["success"]!.GetValue<bool>(), Is.False);
            Assert.That(ack["code"]!.GetValue<string>(), Is.EqualTo(code), ack.ToJsonString());
            Assert.That(Guid.TryParse(ack["correlationId"]!.GetValue<string>(), out _), Is.True, "a UUID correlation id");
        });
        return ack["error"]!.GetValue<string>();
    }

    /// <summary>Sends a message; returns the acked message.</summary>
    public static async Task<JsonObject> SendAsync(TestClient client, string roomId, string content)
    {
        var ack = await AckAsync(client, "send-message", new { roomId, content });
        AssertSuccess(ack);
        return ack["data"]!.AsObject();
    }

    public static string Str(this ReceivedEvent e, string field) => e.Args[0]![field]!.GetValue<string>();
}
