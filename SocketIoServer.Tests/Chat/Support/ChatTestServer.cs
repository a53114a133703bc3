using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Auth;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Hosting;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Support;

/// <summary>
/// The chat server as <c>dotnet run --project SocketIoServer</c> starts it, on a free port, with a known JWT secret
/// and its own SQLite file (kept across <see cref="RestartAsync"/>), or on PostgreSQL with <c>databaseUrl</c>.
/// </summary>
public sealed class ChatTestServer : IAsyncDisposable
{
    public const string Secret = "chat-test-secret";

    private readonly string[] _args;
    private readonly Action<WebApplicationBuilder>? _configure;

    private ChatTestServer(string[] args, Action<WebApplicationBuilder>? configure, string dataDirectory)
    {
        _args = args;
        _configure = configure;
        DataDirectory = dataDirectory;
    }

    public WebApplication App { get; private set; } = null!;

    public string Url { get; private set; } = "";

    public string DataDirectory { get; }

    public IChatStore Store => App.Services.GetRequiredService<IChatStore>();

    public ChatService Chat => App.Services.GetRequiredService<ChatService>();

    public static Hs256Jwt Jwt { get; } = new(Secret);

    /// <param name="settings">More settings, as configuration keys (RATE_LIMIT_MAX, ...).</param>
    public static async Task<ChatTestServer> StartAsync(string? databaseUrl = null, Action<WebApplicationBuilder>? configure = null,
        params (string Key, string Value)[] settings)
    {
        var directory = Path.Combine(Path.GetTempPath(), "chat-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var args = new List<string> { "--port", "0", "--JWT_SECRET", Secret, "--SQLITE_PATH", Path.Combine(directory, "chat.db") };
        if (databaseUrl is not null) args.AddRange(["--DATABASE_URL", databaseUrl]);
        foreach (var (key, value) in settings) args.AddRange(["--" + key, value]);
        var server = new ChatTestServer([.. args], configure, directory);
        await server.StartAppAsync();
        return server;
    }

    private async Task StartAppAsync()
    {
        App = ChatApp.Build(_args, builder =>
        {
            builder.Logging.ClearProviders();
            if (Environment.GetEnvironmentVariable("SOCKETIO_TEST_LOG") == "1") builder.Logging.AddSimpleConsole(); // for diagnosing a failure
            _configure?.Invoke(builder);
        });
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = "http://localhost:" + new Uri(address.Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
    }

    /// <summary>Stops the server and starts it again on the same store (a new port).</summary>
    public async Task RestartAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await StartAppAsync();
    }

    /// <summary>A valid token for the user (sub = id, username = name).</summary>
    public static string Token(string userId, string? name = null) =>
        Jwt.Issue(new JsonObject { ["sub"] = userId, ["username"] = name ?? userId, ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() });

    /// <summary>An HTTP client of the API, signed in as the user.</summary>
    public HttpClient Http(string userId)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(userId));
        return client;
    }

    /// <summary>Creates a chat through the HTTP API, as its first member; returns its id.</summary>
    public async Task<string> CreateChatAsync(string creator, string type, params string[] members)
    {
        using var http = Http(creator);
        var response = await http.PostAsync("/v1/chats", JsonContent(new JsonObject
        {
            ["type"] = type,
            ["title"] = type == "group" ? "Group" : null,
            ["memberIds"] = new JsonArray([.. members.Select(m => (JsonNode)m)]),
        }));
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["_id"]!.GetValue<string>();
    }

    public static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
    }
}
