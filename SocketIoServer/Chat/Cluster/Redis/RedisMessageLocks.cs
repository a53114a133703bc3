using StackExchange.Redis;

namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>
/// Seed 003's message locks shared by a cluster: <c>lock:message:&lt;id&gt;</c> holds the holder's user id and expires
/// after <c>LOCK_TIMEOUT</c> (SET ... PX); taking, renewing and releasing check the holder in one script, so only the
/// owner releases and no one takes a live lock. <c>locks:user:&lt;id&gt;</c> lists a user's locks for their release.
/// </summary>
public sealed class RedisMessageLocks(ChatRedis redis, TimeSpan timeout) : IMessageLocks
{
    private static readonly LuaScript LockScript = LuaScript.Prepare("""
        local holder = redis.call('GET', @lock)
        if holder and holder ~= @user then return holder end
        redis.call('SET', @lock, @user, 'PX', @timeout)
        redis.call('SADD', @mine, @message)
        redis.call('PEXPIRE', @mine, @timeout)
        return @user
        """);

    private static readonly LuaScript UnlockScript = LuaScript.Prepare("""
        redis.call('SREM', @mine, @message)
        if redis.call('GET', @lock) ~= @user then return 0 end
        redis.call('DEL', @lock)
        return 1
        """);

    private static readonly LuaScript ReleaseAllScript = LuaScript.Prepare("""
        local released = {}
        for _, message in ipairs(redis.call('SMEMBERS', @mine)) do
            local lock = @prefix .. message
            if redis.call('GET', lock) == @user then
                redis.call('DEL', lock)
                table.insert(released, message)
            end
        end
        redis.call('DEL', @mine)
        return released
        """);

    public TimeSpan Timeout => timeout;

    private const string LockPrefix = "lock:message:";

    public async Task<(bool Locked, string Holder)> TryLockAsync(string messageId, string userId, CancellationToken cancellationToken)
    {
        var holder = (string?)await redis.Database.ScriptEvaluateAsync(LockScript, new
        {
            @lock = redis.Key(LockPrefix + messageId),
            mine = redis.Key("locks:user:" + userId),
            user = userId,
            message = messageId,
            timeout = (long)timeout.TotalMilliseconds,
        }) ?? userId;
        return (holder == userId, holder);
    }

    public async Task<bool> UnlockAsync(string messageId, string userId, CancellationToken cancellationToken) =>
        (int)await redis.Database.ScriptEvaluateAsync(UnlockScript, new
        {
            @lock = redis.Key(LockPrefix + messageId),
            mine = redis.Key("locks:user:" + userId),
            user = userId,
            message = messageId,
        }) == 1;

    public async Task<IReadOnlyList<string>> ReleaseAllAsync(string userId, CancellationToken cancellationToken)
    {
        var result = await redis.Database.ScriptEvaluateAsync(ReleaseAllScript, new
        {
            mine = redis.Key("locks:user:" + userId),
            prefix = redis.Prefix + LockPrefix,
            user = userId,
        });
        return [.. ((RedisResult[])result!).Select(r => (string)r!)];
    }
}
