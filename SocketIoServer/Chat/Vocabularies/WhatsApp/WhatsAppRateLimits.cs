namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>
/// Seed 003's limits on <c>/messages</c> and <c>/notifications</c>: every event of a user takes a token from the
/// user's bucket (<c>RATE_LIMIT_MAX</c> per <c>RATE_LIMIT_WINDOW</c>, across the user's sockets), except the events
/// with an override (<see cref="Overrides"/>), which take from a bucket of their own instead.
/// </summary>
public sealed class WhatsAppRateLimits
{
    /// <summary>The per-event overrides: typing while composing and the keep-alive heartbeat are frequent by nature.</summary>
    public static readonly IReadOnlyDictionary<string, (int Max, TimeSpan Window)> Overrides = new Dictionary<string, (int, TimeSpan)>(StringComparer.Ordinal)
    {
        ["typing"] = (20, TimeSpan.FromSeconds(10)),
        ["heartbeat"] = (10, TimeSpan.FromSeconds(10)),
    };

    private readonly TokenBucketRateLimiter _all;
    private readonly Dictionary<string, TokenBucketRateLimiter> _overrides;

    public WhatsAppRateLimits(int max, TimeSpan window, TimeProvider? time)
    {
        _all = new TokenBucketRateLimiter(max, window, time);
        _overrides = Overrides.ToDictionary(o => o.Key, o => new TokenBucketRateLimiter(o.Value.Max, o.Value.Window, time), StringComparer.Ordinal);
    }

    public int Max => _all.Capacity;

    public TimeSpan Window => _all.Window;

    /// <summary>Takes a token for the user's event; false when the bucket is empty (then the event is dropped).</summary>
    public bool TryTake(string userId, string eventName) =>
        _overrides.TryGetValue(eventName, out var own) ? own.TryTake(userId) : _all.TryTake(userId);

    /// <summary>The text of <c>rate-limit-exceeded</c>'s <c>message</c> for the event.</summary>
    public string Describe(string eventName)
    {
        var (max, window) = _overrides.TryGetValue(eventName, out var own) ? (own.Capacity, own.Window) : (_all.Capacity, _all.Window);
        return $"Rate limit exceeded: at most {max} {(own is null ? "events" : eventName + " events")} per {window.TotalSeconds:0.###} seconds";
    }
}
