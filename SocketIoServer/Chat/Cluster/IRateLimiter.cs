namespace SocketIoServer.Chat.Cluster;

/// <summary>
/// A per-key limit on actions (per user, across all of the user's sockets and, in a cluster, all nodes). A refused
/// attempt takes nothing.
/// </summary>
public interface IRateLimiter
{
    /// <summary>The most actions a window (or a full bucket) admits.</summary>
    int Limit { get; }

    TimeSpan Window { get; }

    /// <summary>Records an action for <paramref name="key"/> if it is within the limit; false when it is not.</summary>
    Task<bool> TryAcquireAsync(string key, CancellationToken cancellationToken);
}

/// <summary>Makes the rate limiters of the vocabularies, in memory or in Redis; <c>name</c> keeps their keys apart.</summary>
public interface IRateLimiterFactory
{
    /// <summary>At most <paramref name="limit"/> actions in any window of <paramref name="window"/> (seeds 000, 002, 004).</summary>
    IRateLimiter SlidingWindow(string name, int limit, TimeSpan window);

    /// <summary>A bucket of <paramref name="capacity"/> tokens refilled at that many per <paramref name="window"/> (seed 003).</summary>
    IRateLimiter TokenBucket(string name, int capacity, TimeSpan window);
}
