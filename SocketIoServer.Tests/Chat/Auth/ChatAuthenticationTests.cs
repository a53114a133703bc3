using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIoServer.Chat.Auth;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Chat.Auth;

/// <summary>The chat middleware on a real server: where tokens are read from, and the CONNECT_ERROR a refusal sends.</summary>
[TestFixture]
public sealed class ChatAuthenticationTests
{
    private const string Secret = "test-secret";
    private static readonly Hs256Jwt Jwt = new(Secret);

    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, string Url)> StartAsync()
    {
        var auth = new ChatAuthentication(Jwt, NullLogger<ChatAuthentication>.Instance);
        return await TestHost.StartAsync(_ => { }, io =>
        {
            foreach (var name in new[] { "/", "/messages", "/notifications" })
            {
                io.Of(name).Use(auth.Authenticate);
                io.Of(name).OnConnection(socket => socket.Emit("me", ChatAuthentication.UserOf(socket).UserId, socket.Data["userId"]));
            }
        });
    }

    /// <summary>Connects to <paramref name="nsp"/> over a raw WebSocket; returns the reply to CONNECT and the frame after it.</summary>
    private static async Task<(string Reply, string? Next)> ConnectAsync(string url, string nsp, string auth, string query = "", string? bearer = null)
    {
        var ws = new System.Net.WebSockets.ClientWebSocket();
        if (bearer is not null) ws.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        await ws.ConnectAsync(new Uri(url.Replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket" + query), CancellationToken.None);
        async Task<string> ReceiveAsync()
        {
            var buffer = new byte[8192];
            using var cts = new CancellationTokenSource(5000);
            var result = await ws.ReceiveAsync(buffer, cts.Token);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count);
        }
        await ReceiveAsync(); // open
        var prefix = nsp == "/" ? "40" : "40" + nsp + ",";
        await ws.SendAsync(System.Text.Encoding.UTF8.GetBytes(prefix + auth), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = await ReceiveAsync();
        var next = reply.StartsWith("40", StringComparison.Ordinal) ? await ReceiveAsync() : null;
        ws.Abort();
        return (reply, next);
    }

    private static string Token(string sub = "u1") => Jwt.Issue(new JsonObject { ["sub"] = sub });

    [TestCase("/")]
    [TestCase("/messages")]
    public async Task AValidToken_Connects_AndTheSocketKnowsItsUser(string nsp)
    {
        var (app, url) = await StartAsync();
        await using var _ = app;
        var (reply, next) = await ConnectAsync(url, nsp, $$"""{"token":"{{Token()}}"}""");
        Assert.That(reply, Does.StartWith("40"));
        Assert.That(next, Does.EndWith("""["me","u1","u1"]"""));
    }

    [Test]
    public async Task TheTokenMayComeFromTheQuery_OrABearerHeader()
    {
        var (app, url) = await StartAsync();
        await using var _ = app;
        Assert.That((await ConnectAsync(url, "/", "{}", "&token=" + Token("from-query"))).Next, Does.Contain("from-query"));
        Assert.That((await ConnectAsync(url, "/", "{}", bearer: Token("from-header"))).Next, Does.Contain("from-header"));
        Assert.That((await ConnectAsync(url, "/", $$"""{"token":"{{Token("from-auth")}}"}""", "&token=" + Token("from-query"))).Next,
            Does.Contain("from-auth"), "auth.token first");
    }

    private static IEnumerable<TestCaseData> Refusals()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var nsp in new[] { "/", "/messages", "/notifications" })
        {
            yield return new TestCaseData(nsp, "{}", "missing_token").SetName($"{nsp} missing");
            yield return new TestCaseData(nsp, """{"token":"garbage"}""", "invalid_token").SetName($"{nsp} malformed");
            yield return new TestCaseData(nsp, $$"""{"token":"{{new Hs256Jwt("other").Issue(new JsonObject { ["sub"] = "u" })}}"}""", "invalid_token").SetName($"{nsp} wrongly signed");
            var unsigned = System.Buffers.Text.Base64Url.EncodeToString("""{"alg":"none"}"""u8) + "." +
                System.Buffers.Text.Base64Url.EncodeToString("""{"sub":"u"}"""u8) + ".";
            yield return new TestCaseData(nsp, $$"""{"token":"{{unsigned}}"}""", "invalid_token").SetName($"{nsp} alg none");
            yield return new TestCaseData(nsp, $$"""{"token":"{{Jwt.Issue(new JsonObject { ["sub"] = "u", ["exp"] = now - 10 })}}"}""", "expired_token").SetName($"{nsp} expired");
            yield return new TestCaseData(nsp, $$"""{"token":"{{Jwt.Issue(new JsonObject { ["sub"] = "u", ["nbf"] = now + 3600 })}}"}""", "invalid_token").SetName($"{nsp} not yet valid");
            yield return new TestCaseData(nsp, """{"token":42}""", "missing_token").SetName($"{nsp} token not a string");
        }
    }

    [TestCaseSource(nameof(Refusals))]
    public async Task BadTokens_AreRefused_WithTheContractsError(string nsp, string auth, string reason)
    {
        var (app, url) = await StartAsync();
        await using var _ = app;
        var (reply, _) = await ConnectAsync(url, nsp, auth);
        var prefix = nsp == "/" ? "44" : "44" + nsp + ",";
        Assert.That(reply, Is.EqualTo(prefix + """{"message":"Authentication error","data":{"code":"UNAUTHORIZED","reason":"REASON"}}""".Replace("REASON", reason)));
    }
}
