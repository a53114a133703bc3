using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SocketIoServer.Chat.Hosting;

/// <summary>
/// The chat server's settings (CONTRACTS.md section 1), read from configuration under the flat names seed 003's
/// configuration guide uses (<c>PORT</c>, <c>SOCKET_PING_TIMEOUT</c>, ...), so that a deployment's environment works
/// unchanged; ASP.NET Core's sources apply (appsettings.json, then environment, then command line, where
/// <c>--port 4000</c> sets <c>PORT</c>: keys are case-insensitive). Socket.IO defaults are seed 003's "Advanced
/// Socket.IO Configuration". A bad value throws <see cref="ChatSettingsException"/> naming the setting.
/// </summary>
public sealed record ChatSettings
{
    public int Port { get; init; } = 3000;

    /// <summary><c>CLIENT_ORIGIN</c>: the allowed CORS origins (comma-separated); null allows any origin.</summary>
    public IReadOnlyList<string>? ClientOrigins { get; init; }

    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(25);

    public int MaxBufferSize { get; init; } = 1_000_000;

    /// <summary><c>SOCKET_LOGGING</c>: debug logs of every socket event.</summary>
    public bool SocketLogging { get; init; }

    public string? JwtSecret { get; init; }

    public string? JwtIssuer { get; init; }

    public string? JwtAudience { get; init; }

    /// <summary><c>RATE_LIMIT_MAX</c> / <c>RATE_LIMIT_WINDOW</c> (ms): seed 003's per-user event budget.</summary>
    public int RateLimitMax { get; init; } = 30;

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>MESSAGE_QUEUE_EXPIRY</c> (seconds): how long seed 003's offline queue keeps messages.</summary>
    public TimeSpan MessageQueueExpiry { get; init; } = TimeSpan.FromDays(7);

    /// <summary><c>LOCK_TIMEOUT</c> (ms): how long seed 003's message lock lasts.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>DATABASE_URL</c>: a PostgreSQL connection string; null = embedded SQLite.</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>Redis, for the cluster adapter: <c>REDIS_URL</c>, or <c>USE_REDIS</c> with <c>REDIS_HOST</c>/<c>PORT</c>/<c>PASSWORD</c>/<c>DB</c>.</summary>
    public RedisSettings? Redis { get; init; }

    /// <summary>
    /// <c>REDIS_KEY_PREFIX</c>: put before every chat key in Redis and before the adapter's channel prefix
    /// (<c>socket.io</c>). Default empty, so the keys are seed 001's (<c>presence:&lt;userId&gt;</c>, <c>online_users</c>).
    /// </summary>
    public string RedisKeyPrefix { get; init; } = "";

    /// <summary>
    /// <c>REDIS_NODE_TTL</c> (ms): how long a node's registration in Redis outlives its last heartbeat (sent every third
    /// of it); after that its sockets no longer keep their users online. Default 30 s.
    /// </summary>
    public TimeSpan RedisNodeTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>REDIS_ADAPTER</c>: <c>pubsub</c> (default; npm <c>@socket.io/redis-adapter</c>'s protocol) or <c>streams</c>
    /// (npm <c>@socket.io/redis-streams-adapter</c>'s, which lets connection state recovery cross nodes).
    /// </summary>
    public RedisAdapterKind RedisAdapter { get; init; } = RedisAdapterKind.PubSub;

    /// <summary>
    /// <c>SOCKET_RECOVERY_DURATION</c> (ms): connection state recovery, as Node's <c>maxDisconnectionDuration</c>; a
    /// client that comes back within it gets its socket and the events it missed. 0 or unset: off. On one node or with
    /// the pub/sub adapter the client must come back to the same node; with the streams adapter any node will do.
    /// </summary>
    public TimeSpan? RecoveryDuration { get; init; }

    public SmtpSettings? Smtp { get; init; }

    public enum RedisAdapterKind
    {
        PubSub,
        Streams,
    }

    public sealed record RedisSettings(string? Url, string Host, int Port, string? Password, int Database);

    public sealed record SmtpSettings(string Host, int Port, string From);

    public static ChatSettings From(IConfiguration config)
    {
        var defaults = new ChatSettings();
        var useRedis = Bool(config, "USE_REDIS", false);
        var redisUrl = Text(config, "REDIS_URL");
        RedisSettings? redis = null;
        if (redisUrl is not null)
        {
            if (!Uri.TryCreate(redisUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss"))
                throw new ChatSettingsException("REDIS_URL", redisUrl, "a redis:// or rediss:// URL");
            redis = new RedisSettings(redisUrl, uri.Host, uri.IsDefaultPort ? 6379 : uri.Port, null, 0);
        }
        else if (useRedis)
        {
            redis = new RedisSettings(null, Text(config, "REDIS_HOST") ?? "localhost", Int(config, "REDIS_PORT", 6379, 1, 65535),
                Text(config, "REDIS_PASSWORD"), Int(config, "REDIS_DB", 0, 0, 1_000_000));
        }

        var adapter = Text(config, "REDIS_ADAPTER")?.ToLowerInvariant() switch
        {
            null or "pubsub" => RedisAdapterKind.PubSub,
            "streams" => RedisAdapterKind.Streams,
            _ => throw new ChatSettingsException("REDIS_ADAPTER", Text(config, "REDIS_ADAPTER")!, "pubsub or streams"),
        };
        if (adapter == RedisAdapterKind.Streams && redis is null)
            throw new ChatSettingsException("REDIS_ADAPTER", "streams", "set only with REDIS_URL or USE_REDIS (a cluster adapter needs Redis)");
        var recoveryMs = Int(config, "SOCKET_RECOVERY_DURATION", 0, 0, int.MaxValue);

        SmtpSettings? smtp = null;
        if (Text(config, "SMTP_HOST") is { } smtpHost)
            smtp = new SmtpSettings(smtpHost, Int(config, "SMTP_PORT", 25, 1, 65535), Text(config, "SMTP_FROM") ?? "chat@localhost");

        var secret = config["JWT_SECRET"];
        if (secret is { Length: 0 }) throw new ChatSettingsException("JWT_SECRET", "", "a non-empty secret (or leave it unset for a random one)");

        var databaseUrl = Text(config, "DATABASE_URL");
        return new ChatSettings
        {
            Port = Int(config, "PORT", defaults.Port, 0, 65535),
            ClientOrigins = Text(config, "CLIENT_ORIGIN") is { } origins && origins != "*"
                ? origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : null,
            PingTimeout = Milliseconds(config, "SOCKET_PING_TIMEOUT", defaults.PingTimeout),
            PingInterval = Milliseconds(config, "SOCKET_PING_INTERVAL", defaults.PingInterval),
            MaxBufferSize = Int(config, "SOCKET_MAX_BUFFER_SIZE", defaults.MaxBufferSize, 1, int.MaxValue),
            SocketLogging = Bool(config, "SOCKET_LOGGING", false),
            JwtSecret = secret,
            JwtIssuer = Text(config, "JWT_ISSUER"),
            JwtAudience = Text(config, "JWT_AUDIENCE"),
            RateLimitMax = Int(config, "RATE_LIMIT_MAX", defaults.RateLimitMax, 1, int.MaxValue),
            RateLimitWindow = Milliseconds(config, "RATE_LIMIT_WINDOW", defaults.RateLimitWindow),
            MessageQueueExpiry = TimeSpan.FromSeconds(Int(config, "MESSAGE_QUEUE_EXPIRY", (int)defaults.MessageQueueExpiry.TotalSeconds, 1, int.MaxValue)),
            LockTimeout = Milliseconds(config, "LOCK_TIMEOUT", defaults.LockTimeout),
            DatabaseUrl = databaseUrl,
            Redis = redis,
            RedisKeyPrefix = config["REDIS_KEY_PREFIX"]?.Trim() ?? "",
            RedisNodeTtl = Milliseconds(config, "REDIS_NODE_TTL", defaults.RedisNodeTtl),
            RedisAdapter = adapter,
            RecoveryDuration = recoveryMs > 0 ? TimeSpan.FromMilliseconds(recoveryMs) : null,
            Smtp = smtp,
        };
    }

    private static string? Text(IConfiguration config, string key) => config[key] is { Length: > 0 } value ? value.Trim() : null;

    private static int Int(IConfiguration config, string key, int fallback, int min, int max)
    {
        if (Text(config, key) is not { } text) return fallback;
        // "1e6" as seed 003 writes maxHttpBufferSize is accepted too
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value == Math.Floor(value) && value >= min && value <= max)
            return (int)value;
        throw new ChatSettingsException(key, text, $"a whole number from {min} to {max}");
    }

    private static TimeSpan Milliseconds(IConfiguration config, string key, TimeSpan fallback) =>
        Text(config, key) is null ? fallback : TimeSpan.FromMilliseconds(Int(config, key, 0, 1, int.MaxValue));

    private static bool Bool(IConfiguration config, string key, bool fallback) => Text(config, key)?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        var other => throw new ChatSettingsException(key, other, "true or false"),
    };
}

/// <summary>A setting the chat server cannot start with; the message is the one line start-up prints.</summary>
public sealed class ChatSettingsException(string setting, string value, string expected)
    : Exception($"invalid setting {setting}='{value}': expected {expected}")
{
    public string Setting { get; } = setting;
}
