using System.Text.Json.Nodes;
using SocketIoServer.Tests.Chat.Storage;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Server.Redis;
using StackExchange.Redis;

namespace SocketIoServer.Tests.Chat.Cluster;

/// <summary>
/// Chat server processes as a cluster: the same JWT secret, one fresh PostgreSQL schema as their <c>DATABASE_URL</c>,
/// one Redis (<c>REDIS_URL</c>) and a fresh <c>REDIS_KEY_PREFIX</c>, so that clusters of different tests never meet.
/// </summary>
public sealed class ChatCluster : IAsyncDisposable
{
    private readonly List<ChatServerProcess> _nodes;
    private ConnectionMultiplexer? _redis;

    private ChatCluster(List<ChatServerProcess> nodes, string redisUrl, string prefix)
    {
        _nodes = nodes;
        RedisUrl = redisUrl;
        Prefix = prefix;
    }

    public ChatServerProcess this[int index] => _nodes[index];

    public string RedisUrl { get; }

    public string Prefix { get; }

    /// <param name="settings">More settings for every node (RATE_LIMIT_MAX, REDIS_NODE_TTL, ...).</param>
    public static async Task<ChatCluster> StartAsync(int count, string? redisUrl = null, params (string Key, string Value)[] settings)
    {
        redisUrl ??= RedisTestServer.Url;
        var prefix = RedisTestServer.NewKey() + ":";
        var environment = new Dictionary<string, string>
        {
            ["JWT_SECRET"] = ChatTestServer.Secret,
            ["DATABASE_URL"] = (await PostgresTestServer.NewSchemaAsync()).ConnectionString,
            ["REDIS_URL"] = redisUrl,
            ["REDIS_KEY_PREFIX"] = prefix,
        };
        foreach (var (key, value) in settings) environment[key] = value;
        var nodes = Enumerable.Range(0, count).Select(_ => new ChatServerProcess(environment)).ToList();
        var cluster = new ChatCluster(nodes, redisUrl, prefix);
        try
        {
            // the first creates the schema; the others find it made
            await nodes[0].StartAsync();
            await Task.WhenAll(nodes.Skip(1).Select(n => n.StartAsync()));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>A connection to the cluster's Redis, to read the keys the nodes wrote.</summary>
    public IDatabase Redis => (_redis ??= ConnectionMultiplexer.Connect(
        SocketIoServer.Server.Adapters.Redis.RedisAdapterFactory.ToConfiguration(RedisUrl) + ",abortConnect=false")).GetDatabase();

    public RedisKey Key(string name) => Prefix + name;

    /// <summary>Creates a dm or group through a node's HTTP API, as its first member; returns its id.</summary>
    public Task<string> CreateChatAsync(int node, string creator, string type, params string[] members) =>
        SendLoad.CreateChatAsync(_nodes[node].Url, creator, type, members);

    /// <summary>A signed-in client of a node, recording <paramref name="record"/>.</summary>
    public Task<TestClient> ConnectAsync(int node, string userId, string nsp = "/", params string[] record) =>
        TestClient.ConnectAsync(_nodes[node].Url, ClientTransport.WebSocket, nsp, new { token = ChatTestServer.Token(userId) }, record);

    /// <summary>Waits until a Redis condition holds (the nodes write asynchronously to the events a client sees).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_nodes.Select(n => n.DisposeAsync().AsTask()));
        if (_redis is not null) await _redis.DisposeAsync();
    }
}
