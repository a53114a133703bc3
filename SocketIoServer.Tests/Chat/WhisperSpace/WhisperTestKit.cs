using System.Text.Json.Nodes;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.WhisperSpace;

/// <summary>Helpers of the WhisperSpace tests: a signed-in client recording seed 000's events.</summary>
internal static class WhisperTestKit
{
    public static readonly string[] Events = ["joined_room", "left_room", "users_online", "new_message", "user_typing", "user_stop_typing", "error"];

    public static Task<TestClient> ConnectAsync(ChatTestServer server, string userId, string? name = null, ClientTransport transport = ClientTransport.WebSocket) =>
        TestClient.ConnectAsync(server.Url, transport, "/", new { token = ChatTestServer.Token(userId, name) }, Events);

    /// <summary>join_room, then waits for joined_room and for the users_online that lists this user.</summary>
    public static async Task<JsonArray> JoinAsync(TestClient client, string code, string userId)
    {
        var joined = client.Events.Count("joined_room");
        await client.EmitAsync("join_room", code);
        await client.Events.WaitCountAsync("joined_room", joined + 1);
        return await UsersOnlineAsync(client, users => users.Any(u => u!["userId"]!.GetValue<string>() == userId));
    }

    /// <summary>The first users_online (received or to come) whose list matches.</summary>
    public static async Task<JsonArray> UsersOnlineAsync(TestClient client, Func<JsonArray, bool> match) =>
        (await client.Events.WaitAsync("users_online", e => match(e.Args[0]!.AsArray()))).Args[0]!.AsArray();

    public static string[] UserIds(JsonArray users) => [.. users.Select(u => u!["userId"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    /// <summary>The message of the next error event after the ones already received.</summary>
    public static async Task<JsonObject> NextErrorAsync(TestClient client, int seen) =>
        (await client.Events.WaitCountAsync("error", seen + 1))[seen].Args[0]!.AsObject();

    /// <summary>Polls an asynchronous condition until it holds; fails after <see cref="TestWait.Timeout"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestWait.Timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }
}
