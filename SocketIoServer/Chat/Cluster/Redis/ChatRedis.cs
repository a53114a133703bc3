using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Hosting;
using SocketIoServer.Server.Adapters.Redis;
using StackExchange.Redis;

namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>
/// The Redis connection of the chat state of a cluster node, and the names of its keys: <see cref="Prefix"/>
/// (<c>REDIS_KEY_PREFIX</c>, empty by default so that the keys are seed 001's) before each. It keeps reconnecting
/// while Redis is away, and a command sent meanwhile fails at once instead of waiting in a backlog, so a chat action
/// that needs Redis is refused cleanly and the next one after Redis is back succeeds.
/// </summary>
public sealed partial class ChatRedis : IAsyncDisposable
{
    private ChatRedis(IConnectionMultiplexer connection, string prefix)
    {
        Connection = connection;
        Prefix = prefix;
    }

    public IConnectionMultiplexer Connection { get; }

    public IDatabase Database => Connection.GetDatabase();

    public string Prefix { get; }

    public RedisKey Key(string name) => Prefix + name;

    /// <summary>Wraps an existing connection (tests).</summary>
    public static ChatRedis Of(IConnectionMultiplexer connection, string prefix) => new(connection, prefix);

    public static ChatRedis Connect(ChatSettings.RedisSettings settings, string prefix, ILogger<ChatRedis> logger)
    {
        var options = ConfigurationOptions.Parse(ConfigurationOf(settings));
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        var connection = ConnectionMultiplexer.Connect(options);
        connection.ConnectionFailed += (_, e) => LogConnectionFailed(logger, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString(), e.Exception);
        connection.ConnectionRestored += (_, e) => LogConnectionRestored(logger, e.EndPoint?.ToString() ?? "?");
        return new ChatRedis(connection, prefix);
    }

    /// <summary>The StackExchange.Redis configuration string of the settings (<c>REDIS_URL</c>, or <c>REDIS_HOST</c> and the rest).</summary>
    public static string ConfigurationOf(ChatSettings.RedisSettings settings)
    {
        if (settings.Url is { } url) return RedisAdapterFactory.ToConfiguration(url);
        var parts = new List<string> { $"{settings.Host}:{settings.Port}" };
        if (settings.Password is { Length: > 0 } password) parts.Add("password=" + password);
        if (settings.Database != 0) parts.Add("defaultDatabase=" + settings.Database);
        return string.Join(',', parts);
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    [LoggerMessage(LogLevel.Error, "Chat state: Redis connection to {EndPoint} failed ({FailureType}); chat actions that need it are refused until it is back")]
    private static partial void LogConnectionFailed(ILogger logger, string endPoint, string failureType, Exception? exception);

    [LoggerMessage(LogLevel.Information, "Chat state: Redis connection to {EndPoint} restored")]
    private static partial void LogConnectionRestored(ILogger logger, string endPoint);
}
