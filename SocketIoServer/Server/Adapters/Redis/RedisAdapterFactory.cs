using StackExchange.Redis;

namespace SocketIoServer.Server.Adapters.Redis;

/// <summary>
/// One Redis connection shared by the adapters of every namespace of a server (<c>createAdapter(pub, sub)</c> of npm
/// <c>@socket.io/redis-adapter</c>): set <see cref="Create"/> as <c>SocketIoOptions.AdapterFactory</c>.
/// </summary>
public sealed class RedisAdapterFactory : IAsyncDisposable
{
    private RedisAdapterFactory(IConnectionMultiplexer redis, RedisAdapterOptions options)
    {
        Redis = redis;
        Options = options;
    }

    internal IConnectionMultiplexer Redis { get; }

    internal RedisAdapterOptions Options { get; }

    /// <summary>Connects to Redis (a StackExchange.Redis configuration string, or a <c>redis://</c> URL).</summary>
    public static async Task<RedisAdapterFactory> ConnectAsync(string configuration, RedisAdapterOptions? options = null)
    {
        options ??= new RedisAdapterOptions();
        options.Validate();
        return new RedisAdapterFactory(await ConnectionMultiplexer.ConnectAsync(Configure(configuration)), options);
    }

    /// <summary>As <see cref="ConnectAsync"/>, for start-up code that is not asynchronous.</summary>
    public static RedisAdapterFactory Connect(string configuration, RedisAdapterOptions? options = null)
    {
        options ??= new RedisAdapterOptions();
        options.Validate();
        return new RedisAdapterFactory(ConnectionMultiplexer.Connect(Configure(configuration)), options);
    }

    private static ConfigurationOptions Configure(string configuration)
    {
        var config = ConfigurationOptions.Parse(ToConfiguration(configuration));
        config.AbortOnConnectFail = false; // keep trying: a Redis restart must not need a process restart
        return config;
    }

    /// <summary>The adapter of one namespace.</summary>
    public IAdapter Create(Namespace nsp) => new RedisAdapter(nsp, this);

    /// <summary><c>redis://[:password@]host[:port][/db]</c> as a StackExchange.Redis configuration string; anything else as it is.</summary>
    internal static string ToConfiguration(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss")) return value;
        var parts = new List<string> { $"{uri.Host}:{(uri.IsDefaultPort ? 6379 : uri.Port)}" };
        var userInfo = Uri.UnescapeDataString(uri.UserInfo);
        var colon = userInfo.IndexOf(':');
        if (colon >= 0)
        {
            if (colon > 0) parts.Add("user=" + userInfo[..colon]);
            parts.Add("password=" + userInfo[(colon + 1)..]);
        }
        if (uri.AbsolutePath.Trim('/') is { Length: > 0 } db) parts.Add("defaultDatabase=" + db);
        if (uri.Scheme == "rediss") parts.Add("ssl=true");
        return string.Join(',', parts);
    }

    public async ValueTask DisposeAsync() => await Redis.DisposeAsync();
}
