using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Tests.Chat.Storage;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.WhatsApp;

/// <summary>
/// Runs each WhatsApp test class on SQLite and on PostgreSQL: <see cref="StartAsync"/> starts the chat server on the
/// fixture's store, with seed 003's settings and, when asked, a clock the test moves.
/// </summary>
public abstract class WhatsAppTestBase(string store)
{
    public static readonly string[] Broadcasts =
    [
        "message:new", "message:deleted", "user:typing", "message:locked", "lock-failed", "rate-limit-exceeded", "metrics", "heartbeat:ack",
        "notification:new", "notifications:unread", "user:status", "conversation:viewed", "message:read", "missed-messages", "error", "typing:update",
    ];

    protected string Store => store;

    protected async Task<ChatTestServer> StartAsync(ShiftingClock? clock = null, params (string Key, string Value)[] settings)
    {
        Action<WebApplicationBuilder>? configure = clock is null ? null : b => b.Services.AddSingleton<TimeProvider>(clock);
        var databaseUrl = store == "postgres" ? (await PostgresTestServer.NewSchemaAsync()).ConnectionString : null;
        return await ChatTestServer.StartAsync(databaseUrl, configure, settings);
    }

    /// <summary>A token valid for 60 days, so that a test may move the server's clock by a week.</summary>
    public static string Token(string userId, string? name = null) => ChatTestServer.Jwt.Issue(new JsonObject
    {
        ["sub"] = userId,
        ["username"] = name ?? userId,
        ["exp"] = DateTimeOffset.UtcNow.AddDays(60).ToUnixTimeSeconds(),
    });

    public static Task<TestClient> ConnectAsync(ChatTestServer server, string userId, string nsp = "/messages", ClientTransport transport = ClientTransport.WebSocket) =>
        TestClient.ConnectAsync(server.Url, transport, nsp, new { token = Token(userId) }, Broadcasts);

    public static async Task<JsonObject> AckAsync(TestClient client, string eventName, object payload) =>
        (await client.AskAsync(eventName, payload))!.AsObject();

    /// <summary>Asserts seed 003's refusal shape <c>{success:false, error, message, correlationId}</c>; returns the message.</summary>
    public static string AssertError(JsonObject ack, string code)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ack.Select(p => p.Key), Is.EqualTo(new[] { "success", "error", "message", "correlationId" }), ack.ToJsonString());
            Assert.That(ack["success"]!.GetValue<bool>(), Is.False);
            Assert.That(ack["error"]!.GetValue<string>(), Is.EqualTo(code), ack.ToJsonString());
            Assert.That(Guid.TryParse(ack["correlationId"]!.GetValue<string>(), out _), Is.True, "a UUID correlation id");
        });
        return ack["message"]!.GetValue<string>();
    }

    public static void AssertOk(JsonObject ack) => Assert.That(ack["success"]?.GetValue<bool>(), Is.True, ack.ToJsonString());

    /// <summary>Sends <c>{conversationId, content}</c> on the client's namespace; returns the stored message's id.</summary>
    public static async Task<string> SendAsync(TestClient client, string conversationId, string content, string? clientId = null)
    {
        var ack = await AckAsync(client, "message:send", clientId is null ? new { conversationId, content } : new { conversationId, content, clientId });
        AssertOk(ack);
        return ack["message"]!["_id"]!.GetValue<string>();
    }

    public static HttpClient Http(ChatTestServer server, string userId)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.Url) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token(userId));
        return client;
    }
}

/// <summary>
/// The real clock plus an offset the test moves (wall time and timestamps together, timers as the system's), so that
/// a lock, a token bucket, a queue entry or a read notification can age by minutes or days within a test.
/// </summary>
public sealed class ShiftingClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override long TimestampFrequency => System.TimestampFrequency;

    public override long GetTimestamp() =>
        System.GetTimestamp() + (long)(TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks)).TotalSeconds * Stopwatch.Frequency);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
