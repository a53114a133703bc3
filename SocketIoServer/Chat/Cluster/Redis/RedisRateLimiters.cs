using StackExchange.Redis;

namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>The limiters of a cluster: one key per limiter and user, <c>ratelimit:&lt;name&gt;:&lt;key&gt;</c>, shared by every node.</summary>
public sealed class RedisRateLimiterFactory(ChatRedis redis, TimeProvider? time = null) : IRateLimiterFactory
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IRateLimiter SlidingWindow(string name, int limit, TimeSpan window) => new RedisSlidingWindowRateLimiter(redis, name, limit, window, _time);

    public IRateLimiter TokenBucket(string name, int capacity, TimeSpan window) => new RedisTokenBucketRateLimiter(redis, name, capacity, window, _time);
}

/// <summary>
/// The sliding window on a ZSET of accepted actions scored by their time (ms): one script drops what left the
/// window, refuses when <c>limit</c> are left, else adds this one. The key expires one window after the last one.
/// </summary>
public sealed class RedisSlidingWindowRateLimiter(ChatRedis redis, string name, int limit, TimeSpan window, TimeProvider time) : IRateLimiter
{
    private static readonly LuaScript Script = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', tonumber(@now) - tonumber(@window))
        if redis.call('ZCARD', @key) >= tonumber(@limit) then return 0 end
        redis.call('ZADD', @key, @now, @member)
        redis.call('PEXPIRE', @key, @window)
        return 1
        """);

    public int Limit => limit;

    public TimeSpan Window => window;

    public async Task<bool> TryAcquireAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var result = await redis.Database.ScriptEvaluateAsync(Script, new
        {
            key = redis.Key($"ratelimit:{name}:{key}"),
            now,
            window = (long)window.TotalMilliseconds,
            limit,
            member = $"{now}:{Guid.NewGuid():N}",
        });
        return (int)result == 1;
    }
}

/// <summary>
/// The token bucket in a hash (<c>tokens</c>, <c>stamp</c> in ms): one script refills by the time passed, takes a
/// token when there is one, and stores the bucket. A missing key is a full bucket, so it expires one window after use.
/// </summary>
public sealed class RedisTokenBucketRateLimiter(ChatRedis redis, string name, int capacity, TimeSpan window, TimeProvider time) : IRateLimiter
{
    private static readonly LuaScript Script = LuaScript.Prepare("""
        local capacity = tonumber(@capacity)
        local window = tonumber(@window)
        local now = tonumber(@now)
        local bucket = redis.call('HMGET', @key, 'tokens', 'stamp')
        local tokens = tonumber(bucket[1]) or capacity
        local stamp = tonumber(bucket[2]) or now
        -- nodes' clocks differ a little: time never runs backwards for a bucket
        if now > stamp then tokens = math.min(capacity, tokens + (now - stamp) / window * capacity) else now = stamp end
        local taken = 0
        if tokens >= 1 then
            tokens = tokens - 1
            taken = 1
        end
        redis.call('HSET', @key, 'tokens', tostring(tokens), 'stamp', tostring(now))
        redis.call('PEXPIRE', @key, window)
        return taken
        """);

    public int Limit => capacity;

    public TimeSpan Window => window;

    public async Task<bool> TryAcquireAsync(string key, CancellationToken cancellationToken)
    {
        var result = await redis.Database.ScriptEvaluateAsync(Script, new
        {
            key = redis.Key($"ratelimit:{name}:{key}"),
            now = time.GetUtcNow().ToUnixTimeMilliseconds(),
            window = (long)window.TotalMilliseconds,
            capacity,
        });
        return (int)result == 1;
    }
}
