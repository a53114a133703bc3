namespace SocketIoServer.Engine;

/// <summary>
/// One Engine.IO session. Everything sent to the client goes through one outbox, drained by whichever
/// transport currently owns the session (a long-polling GET or the WebSocket send loop, never both at once: the
/// upgrade waits for the poll to stop reading), so callers on any thread enqueue without locks and a slow client
/// cannot stall anyone else.
/// </summary>
public sealed partial class EngineConnection
{
    private const int Open = 0, Closing = 1, Closed = 2;

    private readonly EngineServer _server;
    private readonly FrameOutbox _outbox = new();
    private readonly CancellationTokenSource _closedCts = new();
    private int _state;
    private int _upgradeState; // 0 none, 1 upgrading, 2 upgraded

    internal EngineConnection(string id, int protocol, EngineServer server, EngineRequestInfo request)
    {
        Id = id;
        Protocol = protocol;
        _server = server;
        Request = request;
    }

    /// <summary>The session id (<c>sid</c>).</summary>
    public string Id { get; }

    /// <summary>Engine.IO protocol revision of the client (4, or 3 for legacy clients).</summary>
    public int Protocol { get; }

    public EngineRequestInfo Request { get; }

    /// <summary>
    /// v3 only: whether the client takes binary payloads (its handshake had no <c>b64</c> parameter); otherwise
    /// binary packets travel as base64 text.
    /// </summary>
    internal bool SupportsBinary { get; init; } = true;

    /// <summary>Name of the transport in use: <c>polling</c> or <c>websocket</c>.</summary>
    public string TransportName => WebSocket is not null ? TransportNames.WebSocket : TransportNames.Polling;

    public bool IsOpen => Volatile.Read(ref _state) == Open;

    /// <summary>Cancelled when the session is closed.</summary>
    public CancellationToken ClosedToken => _closedCts.Token;

    /// <summary>
    /// True when a frame sent now would go out at once (a poll is waiting, or the WebSocket has nothing queued):
    /// the test volatile packets use to be dropped instead of buffered.
    /// </summary>
    public bool IsWritable => IsOpen && _outbox.Count == 0 && (WebSocket is not null || (Polling?.HasPendingPoll ?? false));

    internal PollingTransport? Polling { get; private set; }

    internal WebSocketTransport? WebSocket { get; private set; }

    internal FrameOutbox Outbox => _outbox;

    internal int QueuedFrames => _outbox.Count;

    internal bool IsUpgrading => Volatile.Read(ref _upgradeState) == 1;

    internal bool IsUpgraded => Volatile.Read(ref _upgradeState) == 2;

    internal bool IsClosingForFlush => Volatile.Read(ref _state) == Closing;

    internal bool IsFullyClosed => Volatile.Read(ref _state) == Closed;

    internal EngineCloseReason? CloseReason { get; private set; }

    /// <summary>Queues a frame; false when the session no longer accepts frames.</summary>
    public bool Send(OutboundFrame frame)
    {
        if (Volatile.Read(ref _state) != Open || !_outbox.TryAdd(frame)) return false;
        WebSocket?.Pump();
        return true;
    }

    /// <summary>
    /// Queues a frame without writing it yet; <see cref="Flush"/> writes it. A broadcast queues on every receiver
    /// first and writes afterwards, so a receiver that already has frames waiting gets them in one write.
    /// </summary>
    internal bool SendDeferred(OutboundFrame frame) => Volatile.Read(ref _state) == Open && _outbox.TryAdd(frame);

    /// <summary>Writes what <see cref="SendDeferred"/> queued (a long poll has been woken already).</summary>
    internal void Flush() => WebSocket?.Pump();

    /// <summary>Takes the next queued frame; only the transport that owns the session calls this.</summary>
    internal bool TryTakeFrame(out OutboundFrame frame) => _outbox.TryTake(out frame);

    /// <summary>Slot for the layer above to keep its per-connection state, saving a lookup per message.</summary>
    public object? UserState { get; set; }

    /// <summary>Closes the session at once with <paramref name="reason"/>, dropping queued frames.</summary>
    public void Abort(EngineCloseReason reason, string? description = null) => CloseNow(reason, description);

    /// <summary>Queues several frames that must stay together (a packet and its binary attachments).</summary>
    public bool SendBatch(OutboundFrame first, ReadOnlySpan<ReadOnlyMemory<byte>> binaries)
    {
        if (Volatile.Read(ref _state) != Open || !_outbox.TryAddBatch(first, binaries)) return false;
        WebSocket?.Pump(); // outside the lock: writing to the socket is no work to do under it
        return true;
    }


    internal void AttachPolling(PollingTransport polling) => Polling = polling;

    internal void AttachWebSocket(WebSocketTransport ws) => WebSocket = ws;

    private TaskCompletionSource? _upgradeSettled; // made when an upgrade begins

    internal bool TryBeginUpgrade()
    {
        if (Interlocked.CompareExchange(ref _upgradeState, 1, 0) != 0) return false;
        _upgradeSettled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return true;
    }

    internal void AbortUpgrade()
    {
        if (Interlocked.CompareExchange(ref _upgradeState, 0, 1) == 1) Polling?.ClearNoop();
        _upgradeSettled?.TrySetResult();
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) for an upgrade under way to complete or fail. Node.js answers a poll
    /// that arrives mid-upgrade with a noop only after its 100 ms check, so an upgrade packet already on its way
    /// wins; this keeps the same order.
    /// </summary>
    internal async Task WaitForUpgradeAsync(TimeSpan limit)
    {
        if (!IsUpgrading || _upgradeSettled is not { } settled) return;
        await Task.WhenAny(settled.Task, Task.Delay(limit));
    }

    /// <summary>Makes the WebSocket the session's transport; the polling transport stops serving.</summary>
    internal void CompleteUpgrade(WebSocketTransport ws)
    {
        WebSocket = ws;
        Volatile.Write(ref _upgradeState, 2);
        Polling?.Discard();
        _upgradeSettled?.TrySetResult();
    }

    /// <summary>
    /// Queues the open packet and starts the heartbeat; the handler hears of the session (Node.js's "connection"
    /// event) once the transport has taken the open packet: at once over WebSocket, or, for a polling handshake,
    /// when its GET has its response (<paramref name="notifyHandler"/> false, <see cref="NotifyOpen"/> later). What the
    /// handler sends right away then goes out with the next poll, as in Node.js.
    /// </summary>
    internal void Start(bool notifyHandler = true)
    {
        Send(EngineHandshake.BuildOpenPacket(this, _server.Options));
        if (_server.Options.InitialPacket is { } initial) Send(initial);
        StartHeartbeat();
        if (notifyHandler) NotifyOpen();
    }

    internal void NotifyOpen() => _server.Handler.OnOpen(this);

    /// <summary>
    /// Closes the session from the server side after the frames already queued have been delivered
    /// (Node.js <c>socket.close()</c>); the reason reported is "forced close".
    /// </summary>
    public void Close()
    {
        if (Interlocked.CompareExchange(ref _state, Closing, Open) != Open) return;
        StopHeartbeat();
        _outbox.Complete();
        if (WebSocket is { } ws)
        {
            ws.Pump(); // writes what is queued, then closes the socket and finishes
            return;
        }
        Polling?.OnClosingForFlush(_server.Options.PollingCloseTimeout);
    }

    /// <summary>Closes the session at once, dropping queued frames (Node.js <c>onClose(reason)</c>).</summary>
    internal void CloseNow(EngineCloseReason reason, string? description = null)
    {
        if (Interlocked.Exchange(ref _state, Closed) == Closed) return;
        CloseReason = reason;
        StopHeartbeat();
        _outbox.Complete();
        _server.Remove(this);
        _closedCts.Cancel();
        Polling?.OnSessionClosed(reason);
        WebSocket?.OnSessionClosed();
        _server.Log.SessionClosed(Id, reason.WireName(), description);
        try
        {
            _server.Handler.OnClose(this, reason, description);
        }
        catch (Exception ex)
        {
            _server.Log.HandlerFailed(Id, ex);
        }
    }
}
