namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// The Redis the tests use: <c>TEST_REDIS_URL</c>, which <c>scripts/test.sh</c> sets after starting a throwaway
/// <c>redis-server</c> (<c>scripts/redis.sh</c>). Without it the Redis tests fail (never a silent skip).
/// </summary>
public static class RedisTestServer
{
    public const string Variable = "TEST_REDIS_URL";

    public static string Url
    {
        get
        {
            var url = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(url))
                Assert.Fail($"{Variable} is not set: the Redis tests need a server. ./scripts/test.sh starts one by itself; by hand, " +
                    "run eval \"$(scripts/redis.sh start)\" first.");
            return url!;
        }
    }

    /// <summary>A channel prefix of its own, so that tests (and runs) sharing the Redis never hear each other.</summary>
    public static string NewKey() => "test-" + Guid.NewGuid().ToString("N")[..12];
}
