using System.Text.Json.Nodes;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.Famly;

/// <summary>Helpers of the Famly tests: a signed-in client recording seed 002's broadcasts, and ack checks.</summary>
internal static class FamlyTestKit
{
    public static readonly string[] Broadcasts = ["message:new", "typing:update", "receipt:update", "chat:update", "presence:update", "message:deleted"];

    public static Task<TestClient> ConnectAsync(ChatTestServer server, string userId, ClientTransport transport = ClientTransport.WebSocket, string nsp = "/") =>
        TestClient.ConnectAsync(server.Url, transport, nsp, new { token = ChatTestServer.Token(userId) }, Broadcasts);

    public static async Task<JsonObject> AckAsync(TestClient client, string eventName, object payload) =>
        (await client.AskAsync(eventName, payload))!.AsObject();

    /// <summary>Asserts seed 002's error shape with the code; returns the message.</summary>
    public static string AssertError(JsonObject ack, string code)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ack.Select(p => p.Key), Is.EqualTo(new[] { "ok", "error", "message", "correlationId" }), ack.ToJsonString());
            Assert.That(ack["ok"]!.GetValue<bool>(), Is.False);
            Assert.That(ack["error"]!.GetValue<string>(), Is.EqualTo(code), ack.ToJsonString());
            Assert.That(Guid.TryParse(ack["correlationId"]!.GetValue<string>(), out _), Is.True, "a UUID correlation id");
        });
        return ack["message"]!.GetValue<string>();
    }

    public static void AssertOk(JsonObject ack) => Assert.That(ack["ok"]!.GetValue<bool>(), Is.True, ack.ToJsonString());

    public static async Task<string> SendAsync(TestClient client, string chatId, string body, string? clientId = null)
    {
        var ack = await AckAsync(client, "message:send", new { chatId, body, clientId = clientId ?? Guid.NewGuid().ToString() });
        AssertOk(ack);
        return ack["data"]!["serverId"]!.GetValue<string>();
    }
}
