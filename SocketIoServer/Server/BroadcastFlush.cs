using System.Buffers;
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

    private readonly EngineConnection[] _connections;
    private readonly int _count;

    private BroadcastFlush(EngineConnection[] connections, int count)
    {
        _connections = connections;
        _count = count;
    }

    public static void Schedule(List<Socket> targets)
    {
        for (var start = 0; start < targets.Count; start += SliceSize)
        {
            var count = Math.Min(SliceSize, targets.Count - start);
            var connections = ArrayPool<EngineConnection>.Shared.Rent(count);
            for (var i = 0; i < count; i++) connections[i] = targets[start + i].Client.Connection;
            ThreadPool.UnsafeQueueUserWorkItem(new BroadcastFlush(connections, count), preferLocal: false);
        }
    }

    public void Execute()
    {
        for (var i = 0; i < _count; i++) _connections[i].Flush();
        ArrayPool<EngineConnection>.Shared.Return(_connections, clearArray: true);
    }
}
