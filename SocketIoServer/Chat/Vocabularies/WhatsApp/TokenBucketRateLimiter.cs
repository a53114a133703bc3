using SocketIoServer.Chat.Cluster;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>
/// Seed 003's token bucket per key: it holds at most <c>capacity</c> tokens, refills continuously at
/// <c>capacity</c> per <c>window</c>, and each event takes one. A full bucket lets a burst of <c>capacity</c>
/// events through; after that one event per <c>window / capacity</c>. A refused event takes nothing.
/// </summary>
public sealed class TokenBucketRateLimiter(int capacity, TimeSpan window, TimeProvider? time = null) : IRateLimiter
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private sealed class Bucket
    {
        public double Tokens;
        public long Stamp;
    }

    public int Capacity => capacity;

    public TimeSpan Window => window;

    int IRateLimiter.Limit => capacity;

    public Task<bool> TryAcquireAsync(string key, CancellationToken cancellationToken) => Task.FromResult(TryTake(key));

    public bool TryTake(string key)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                if (_buckets.Count > 8192) DropFull(now);
                _buckets[key] = bucket = new Bucket { Tokens = capacity, Stamp = now };
            }
            Refill(bucket, now);
            if (bucket.Tokens < 1) return false;
            bucket.Tokens -= 1;
            return true;
        }
    }

    private void Refill(Bucket bucket, long now)
    {
        var elapsed = _time.GetElapsedTime(bucket.Stamp, now);
        bucket.Stamp = now;
        if (elapsed > TimeSpan.Zero) bucket.Tokens = Math.Min(capacity, bucket.Tokens + elapsed / window * capacity);
    }

    // under the gate: a full bucket is the same as none, so memory follows the active users
    private void DropFull(long now)
    {
        foreach (var (key, bucket) in _buckets.ToList())
        {
            Refill(bucket, now);
            if (bucket.Tokens >= capacity) _buckets.Remove(key);
        }
    }
}
