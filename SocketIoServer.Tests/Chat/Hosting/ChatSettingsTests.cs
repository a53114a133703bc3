using Microsoft.Extensions.Configuration;
using SocketIoServer.Chat.Hosting;

namespace SocketIoServer.Tests.Chat.Hosting;

/// <summary>The flat setting names of CONTRACTS.md section 1 and seed 003, their defaults, and one clear error per bad value.</summary>
[TestFixture]
public sealed class ChatSettingsTests
{
    private static ChatSettings Read(params (string Key, string Value)[] values) =>
        ChatSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Test]
    public void Defaults_AreSeed003sAdvancedConfiguration()
    {
        var settings = Read();
        Assert.Multiple(() =>
        {
            Assert.That(settings.Port, Is.EqualTo(3000));
            Assert.That(settings.PingTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(settings.PingInterval, Is.EqualTo(TimeSpan.FromSeconds(25)));
            Assert.That(settings.MaxBufferSize, Is.EqualTo(1_000_000));
            Assert.That(settings.ClientOrigins, Is.Null);
            Assert.That(settings.RateLimitMax, Is.EqualTo(30));
            Assert.That(settings.RateLimitWindow, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(settings.LockTimeout, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(settings.MessageQueueExpiry, Is.EqualTo(TimeSpan.FromDays(7)));
            Assert.That(settings.DatabaseUrl, Is.Null);
            Assert.That(settings.Redis, Is.Null);
            Assert.That(settings.JwtSecret, Is.Null);
        });
    }

    [Test]
    public void Seed003sEnvironment_IsHonouredAsWritten()
    {
        var settings = Read(("PORT", "4000"), ("CLIENT_ORIGIN", "http://localhost:5173"), ("SOCKET_PING_TIMEOUT", "30000"),
            ("SOCKET_PING_INTERVAL", "10000"), ("SOCKET_MAX_BUFFER_SIZE", "1e6"), ("SOCKET_LOGGING", "true"),
            ("USE_REDIS", "true"), ("REDIS_HOST", "redis.local"), ("REDIS_PORT", "6380"), ("REDIS_PASSWORD", "pw"), ("REDIS_DB", "2"),
            ("JWT_SECRET", "s"), ("RATE_LIMIT_MAX", "5"), ("RATE_LIMIT_WINDOW", "2000"), ("MESSAGE_QUEUE_EXPIRY", "60"), ("LOCK_TIMEOUT", "1000"));
        Assert.Multiple(() =>
        {
            Assert.That(settings.Port, Is.EqualTo(4000));
            Assert.That(settings.ClientOrigins, Is.EqualTo(new[] { "http://localhost:5173" }));
            Assert.That(settings.PingTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(settings.PingInterval, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(settings.MaxBufferSize, Is.EqualTo(1_000_000));
            Assert.That(settings.SocketLogging, Is.True);
            Assert.That(settings.Redis, Is.EqualTo(new ChatSettings.RedisSettings(null, "redis.local", 6380, "pw", 2)));
            Assert.That(settings.JwtSecret, Is.EqualTo("s"));
            Assert.That(settings.RateLimitMax, Is.EqualTo(5));
            Assert.That(settings.RateLimitWindow, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(settings.MessageQueueExpiry, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(settings.LockTimeout, Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public void CommandLinePort_SetsPort()
    {
        var config = new ConfigurationBuilder().AddCommandLine(["--port", "4100"]).Build();
        Assert.That(ChatSettings.From(config).Port, Is.EqualTo(4100));
    }

    [Test]
    public void RedisUrl_WinsOverTheParts() =>
        Assert.That(Read(("REDIS_URL", "redis://cache:6390"), ("USE_REDIS", "false")).Redis,
            Is.EqualTo(new ChatSettings.RedisSettings("redis://cache:6390", "cache", 6390, null, 0)));

    [Test]
    public void RedisKeyPrefix_AndNodeTtl_HaveSeed001sKeysAndThirtySecondsByDefault()
    {
        Assert.That(Read().RedisKeyPrefix, Is.Empty, "no prefix: the keys are exactly seed 001's");
        Assert.That(Read().RedisNodeTtl, Is.EqualTo(TimeSpan.FromSeconds(30)));
        var set = Read(("REDIS_KEY_PREFIX", "chat-a:"), ("REDIS_NODE_TTL", "5000"));
        Assert.That(set.RedisKeyPrefix, Is.EqualTo("chat-a:"));
        Assert.That(set.RedisNodeTtl, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void TheAdapterAndRecovery_ArePubSubAndOffByDefault()
    {
        Assert.That(Read(("USE_REDIS", "true")).RedisAdapter, Is.EqualTo(ChatSettings.RedisAdapterKind.PubSub));
        Assert.That(Read().RecoveryDuration, Is.Null);
        Assert.That(Read(("SOCKET_RECOVERY_DURATION", "0")).RecoveryDuration, Is.Null, "0 is off");
        var set = Read(("USE_REDIS", "true"), ("REDIS_ADAPTER", "Streams"), ("SOCKET_RECOVERY_DURATION", "120000"));
        Assert.That(set.RedisAdapter, Is.EqualTo(ChatSettings.RedisAdapterKind.Streams));
        Assert.That(set.RecoveryDuration, Is.EqualTo(TimeSpan.FromMinutes(2)));
    }

    [Test]
    public void TheStreamsAdapterWithoutRedis_IsRefusedByName()
    {
        var error = Assert.Throws<ChatSettingsException>(() => Read(("REDIS_ADAPTER", "streams")));
        Assert.That(error!.Message, Is.EqualTo("invalid setting REDIS_ADAPTER='streams': expected set only with REDIS_URL or USE_REDIS (a cluster adapter needs Redis)"));
    }

    [TestCase("REDIS_ADAPTER", "kafka")]
    [TestCase("SOCKET_RECOVERY_DURATION", "-1")]
    [TestCase("SOCKET_RECOVERY_DURATION", "a while")]
    [TestCase("REDIS_NODE_TTL", "0")]
    [TestCase("PORT", "abc")]
    [TestCase("PORT", "70000")]
    [TestCase("PORT", "-1")]
    [TestCase("SOCKET_PING_TIMEOUT", "0")]
    [TestCase("SOCKET_PING_INTERVAL", "fast")]
    [TestCase("SOCKET_MAX_BUFFER_SIZE", "1.5")]
    [TestCase("SOCKET_LOGGING", "maybe")]
    [TestCase("USE_REDIS", "sure")]
    [TestCase("RATE_LIMIT_MAX", "0")]
    [TestCase("RATE_LIMIT_WINDOW", "-5")]
    [TestCase("MESSAGE_QUEUE_EXPIRY", "soon")]
    [TestCase("LOCK_TIMEOUT", "x")]
    [TestCase("REDIS_URL", "http://not-redis")]
    [TestCase("JWT_SECRET", "")]
    public void ABadValue_IsOneErrorNamingTheSetting(string key, string value)
    {
        var extra = key.StartsWith("REDIS_", StringComparison.Ordinal) && key != "REDIS_URL" ? new[] { ("USE_REDIS", "true") } : [];
        var error = Assert.Throws<ChatSettingsException>(() => Read([(key, value), .. extra]));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Setting, Is.EqualTo(key));
            Assert.That(error.Message, Does.StartWith($"invalid setting {key}="));
            Assert.That(error.Message, Does.Not.Contain("\n"));
        });
    }
}
