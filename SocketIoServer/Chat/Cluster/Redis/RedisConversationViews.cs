namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>Seed 003's view times shared by a cluster: a hash per user, <c>whatsapp:viewed:&lt;userId&gt;</c>, conversation → Unix ms.</summary>
public sealed class RedisConversationViews(ChatRedis redis) : IConversationViews
{
    public async Task RecordAsync(string userId, string conversationId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await redis.Database.HashSetAsync(redis.Key("whatsapp:viewed:" + userId), conversationId, at.ToUnixTimeMilliseconds());

    public async Task<DateTimeOffset?> LastViewedAsync(string userId, string conversationId, CancellationToken cancellationToken)
    {
        var value = await redis.Database.HashGetAsync(redis.Key("whatsapp:viewed:" + userId), conversationId);
        return !value.IsNull && value.TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }
}
