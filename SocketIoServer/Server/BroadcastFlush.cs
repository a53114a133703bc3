using System.Collections.Concurrent;
using SocketIoServer.Engine;

namespace SocketIoServer.Server;

/// <summary>
/// Writes a large broadcast out on the thread pool, after it has been queued on every receiver. The emitting thread
/// moves on at once (to the next broadcast, say); the receivers are split into slices written in parallel; and a
/// receiver whose earlier frames are still waiting when a later broadcast arrives gets them all in one write, so
/// at high rates the cost per delivery falls instead of the backlog growing. Small broadcasts are written inline.
/// </summary>
internal sealed class BroadcastFlush : IThreadPoolWorkItem
{
    /// <summary>Fewer receivers than this are written by the emitting thread itself (no thread hop).</summary>
    public const int MinReceivers = 32;

    private const int SliceSize = 256;
    private const int MaxSpares = 256; // at most 256 × 2 KB kept

    // Slices are reused, so a broadcast allocates nothing for its writing (ArrayPool<T>.Shared would, since a slice
    // is rented on the emitting thread and returned on another).
    private static readonly ConcurrentQueue<BroadcastFlush> Spares = new();
    private static int _spareCount;

    private readonly EngineConnection[] _connections = new EngineConnection[SliceSize];
    private int _count;

    public static void Schedule(List<Socket> targets)
    {
        for (var start = 0; start < targets.Count; start += SliceSize)
        {
            var slice = Rent();
            slice._count = Math.Min(SliceSize, targets.Count - start);
            for (var i = 0; i < slice._count; i++) slice._connections[i] = targets[start + i].Client.Connection;
            ThreadPool.UnsafeQueueUserWorkItem(slice, preferLocal: false);
        }
    }

    public void Execute()
    {
        for (var i = 0; i < _count; i++) _connections[i].Flush();
        Array.Clear(_connections, 0, _count); // do not keep closed connections alive
        _count = 0;
        Return(this);
    }

    private static BroadcastFlush Rent()
    {
        if (!Spares.TryDequeue(out var slice)) return new BroadcastFlush();
        Interlocked.Decrement(ref _spareCount);
        return slice;
    }

    private static void Return(BroadcastFlush slice)
    {
        if (Interlocked.Increment(ref _spareCount) > MaxSpares)
        {
            Interlocked.Decrement(ref _spareCount);
            return;
        }
        Spares.Enqueue(slice);
    }
}
