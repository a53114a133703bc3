using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Vocabularies.WhatsApp;

namespace SocketIoServer.Chat.Cluster;

/// <summary>The limiters of one process, in memory.</summary>
public sealed class LocalRateLimiterFactory(TimeProvider? time = null) : IRateLimiterFactory
{
    public IRateLimiter SlidingWindow(string name, int limit, TimeSpan window) => new SlidingWindowRateLimiter(limit, window, time);

    public IRateLimiter TokenBucket(string name, int capacity, TimeSpan window) => new TokenBucketRateLimiter(capacity, window, time);
}
