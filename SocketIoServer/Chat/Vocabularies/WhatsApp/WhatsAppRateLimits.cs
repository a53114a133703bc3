using SocketIoServer.Chat.Cluster;

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

    private readonly IRateLimiter _all;
    private readonly Dictionary<string, IRateLimiter> _overrides;

    public WhatsAppRateLimits(int max, TimeSpan window, IRateLimiterFactory limiters)
    {
        _all = limiters.TokenBucket("whatsapp", max, window);
        _overrides = Overrides.ToDictionary(o => o.Key, o => limiters.TokenBucket("whatsapp:" + o.Key, o.Value.Max, o.Value.Window), StringComparer.Ordinal);
    }

    public int Max => _all.Limit;

    public TimeSpan Window => _all.Window;

    /// <summary>Takes a token for the user's event; false when the bucket is empty (then the event is dropped).</summary>
    public Task<bool> TryTakeAsync(string userId, string eventName, CancellationToken cancellationToken) =>
        (_overrides.TryGetValue(eventName, out var own) ? own : _all).TryAcquireAsync(userId, cancellationToken);

    /// <summary>The text of <c>rate-limit-exceeded</c>'s <c>message</c> for the event.</summary>
    public string Describe(string eventName)
    {
        var (max, window) = _overrides.TryGetValue(eventName, out var own) ? (own.Limit, own.Window) : (_all.Limit, _all.Window);
        return $"Rate limit exceeded: at most {max} {(own is null ? "events" : eventName + " events")} per {window.TotalSeconds:0.###} seconds";
    }
}
