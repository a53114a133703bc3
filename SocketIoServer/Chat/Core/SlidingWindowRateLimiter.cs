using SocketIoServer.Chat.Cluster;

namespace SocketIoServer.Chat.Core;

/// <summary>
/// At most <c>limit</c> accepted actions per key in any window of <c>window</c> (seed 002: 10 messages per 10 s per
/// user, across all of the user's sockets). A refused attempt is not counted, so a client that keeps trying is let
/// through as soon as its oldest accepted action leaves the window. Keeps at most <c>limit</c> timestamps per key;
/// keys whose window is empty are dropped as they are met.
/// </summary>
public sealed class SlidingWindowRateLimiter(int limit, TimeSpan window, TimeProvider? time = null) : IRateLimiter
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, Queue<long>> _accepted = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Limit => limit;

    public TimeSpan Window => window;

    public Task<bool> TryAcquireAsync(string key, CancellationToken cancellationToken) => Task.FromResult(TryAcquire(key));

    /// <summary>Records an action for <paramref name="key"/> if it is within the limit; false when it is not.</summary>
    public bool TryAcquire(string key)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (!_accepted.TryGetValue(key, out var stamps)) _accepted[key] = stamps = new Queue<long>(limit);
            while (stamps.TryPeek(out var oldest) && _time.GetElapsedTime(oldest, now) >= window) stamps.Dequeue();
            if (stamps.Count >= limit) return false;
            stamps.Enqueue(now);
            if (_accepted.Count > 4096) DropIdle(now);
            return true;
        }
    }

    // under the gate: forget keys with nothing left in their window, so memory follows the active users
    private void DropIdle(long now)
    {
        foreach (var (key, stamps) in _accepted.ToList())
            if (stamps.Count == 0 || _time.GetElapsedTime(stamps.Last(), now) >= window) _accepted.Remove(key);
    }
}
