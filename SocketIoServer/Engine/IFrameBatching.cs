namespace SocketIoServer.Engine;

/// <summary>
/// A WebSocket that can gather the frames written between <see cref="BeginBatch"/> and <see cref="EndBatch"/> into
/// one write to the network: when several frames are queued for a connection (a burst of broadcasts), they cost one
/// system call instead of one each.
/// </summary>
internal interface IFrameBatching
{
    /// <summary>Frames sent from now on, on this thread, may be held until <see cref="EndBatch"/>.</summary>
    void BeginBatch();

    /// <summary>Writes what was held; the task completes when the network has taken it.</summary>
    ValueTask EndBatch();
}
