namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>Seed 001's typing sets: <c>typing:&lt;roomId&gt;</c>, SADD then EXPIRE (5 s) on start, SREM on stop.</summary>
public sealed class RedisTypingStore(ChatRedis redis, TimeSpan ttl) : ITypingStore
{
    public TimeSpan Ttl => ttl;

    public async Task StartedAsync(string roomId, string userId, CancellationToken cancellationToken)
    {
        var key = redis.Key("typing:" + roomId);
        var transaction = redis.Database.CreateTransaction();
        _ = transaction.SetAddAsync(key, userId);
        _ = transaction.KeyExpireAsync(key, ttl);
        await transaction.ExecuteAsync();
    }

    public async Task StoppedAsync(string roomId, string userId, CancellationToken cancellationToken) =>
        await redis.Database.SetRemoveAsync(redis.Key("typing:" + roomId), userId);

    public async Task<IReadOnlyList<string>> TypingUserIdsAsync(string roomId, CancellationToken cancellationToken) =>
        [.. (await redis.Database.SetMembersAsync(redis.Key("typing:" + roomId))).Select(v => v.ToString())];
}
