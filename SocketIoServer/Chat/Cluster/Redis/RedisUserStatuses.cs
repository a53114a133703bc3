using System.Text.Json.Nodes;
using SocketIoServer.Chat.Vocabularies.WhatsApp;
using StackExchange.Redis;

namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>
/// Seed 003's statuses shared by a cluster: <c>whatsapp:status:&lt;userId&gt;</c> holds the status as JSON. The node
/// that set a custom status with an expiry ends it when it expires, with a compare-and-set, so a status set since (on
/// any node) is left alone; a reader drops an expired custom status by itself, whichever node set it.
/// </summary>
public sealed class RedisUserStatuses(ChatRedis redis, TimeProvider time) : IUserStatuses
{
    private static readonly LuaScript ReplaceIfSame = LuaScript.Prepare("""
        if redis.call('GET', @key) ~= @expected then return 0 end
        redis.call('SET', @key, @replacement)
        return 1
        """);

    public async Task<UserStatuses.UserStatus> SetAsync(string userId, string status, UserStatuses.CustomStatus? custom,
        Action<UserStatuses.UserStatus> onExpired, CancellationToken cancellationToken)
    {
        var set = new UserStatuses.UserStatus(status, custom);
        var key = redis.Key("whatsapp:status:" + userId);
        var json = Serialize(set);
        await redis.Database.StringSetAsync(key, json);
        if (custom?.ExpiresAt is { } at)
        {
            ITimer? timer = null;
            timer = time.CreateTimer(_ =>
            {
                timer?.Dispose();
                _ = ExpireAsync(key, json, set, onExpired);
            }, null, at - time.GetUtcNow(), Timeout.InfiniteTimeSpan);
        }
        return set;
    }

    private async Task ExpireAsync(RedisKey key, string json, UserStatuses.UserStatus set, Action<UserStatuses.UserStatus> onExpired)
    {
        var after = set with { Custom = null };
        try
        {
            var replaced = (int)await redis.Database.ScriptEvaluateAsync(ReplaceIfSame, new { key, expected = json, replacement = Serialize(after) });
            if (replaced == 1) onExpired(after);
        }
        catch (RedisException)
        {
            // Redis away: readers drop the expired custom status by themselves; only the announcement is lost
        }
    }

    public async Task<UserStatuses.UserStatus?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        var value = await redis.Database.StringGetAsync(redis.Key("whatsapp:status:" + userId));
        if (value.IsNullOrEmpty || JsonNode.Parse(value.ToString()) is not JsonObject json) return null;
        var status = new UserStatuses.UserStatus((string?)json["status"] ?? "online", null);
        if (json["customStatus"] is JsonObject custom)
        {
            DateTimeOffset? expiresAt = custom["expiresAt"] is JsonValue ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms.GetValue<long>()) : null;
            if (expiresAt is null || expiresAt > time.GetUtcNow())
                status = status with { Custom = new UserStatuses.CustomStatus((string?)custom["message"], (string?)custom["emoji"], expiresAt) };
        }
        return status;
    }

    // a fresh nonce in each, so that the compare-and-set tells two equal statuses set one after the other apart
    private static string Serialize(UserStatuses.UserStatus status) => new JsonObject
    {
        ["status"] = status.Status,
        ["customStatus"] = status.Custom is { } custom
            ? new JsonObject
            {
                ["message"] = custom.Message,
                ["emoji"] = custom.Emoji,
                ["expiresAt"] = custom.ExpiresAt?.ToUnixTimeMilliseconds(),
            }
            : null,
        ["nonce"] = Guid.NewGuid().ToString("N"),
    }.ToJsonString();
}
