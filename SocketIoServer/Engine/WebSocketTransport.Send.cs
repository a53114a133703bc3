using System.Net.WebSockets;

namespace SocketIoServer.Engine;

/// <summary>
/// The sending side. Whoever queues a frame (a broadcast, a handler, the heartbeat timer) also writes it to the
/// socket when no one else is writing: the write usually completes at once into Kestrel's output pipe, so a
/// delivery costs no thread hop. When a write cannot complete at once (a slow client), the rest of that
/// connection's outbox is drained asynchronously and the caller moves on to the next receiver.
/// </summary>
internal sealed partial class WebSocketTransport
{
    private int _sendingEnabled; // the socket belongs to the session (direct, or upgrade completed)
    private int _sending;        // one writer at a time
    private int _closeStarted;
    private bool _broken;        // a write failed: the socket is gone, frames are dropped
    private readonly TaskCompletionSource _sendSideDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void EnableSending()
    {
        Volatile.Write(ref _sendingEnabled, 1);
        Pump();
    }

    /// <summary>Writes what is queued (and closes the socket once the session is closing), unless someone else is.</summary>
    public void Pump()
    {
        if (Volatile.Read(ref _sendingEnabled) == 0 || _connection is null) return;
        if (Interlocked.CompareExchange(ref _sending, 1, 0) == 0 && DrainInline()) Release();
    }

    /// <summary>Lets go of the writer role; a frame queued meanwhile is not stranded.</summary>
    private void Release()
    {
        Volatile.Write(ref _sending, 0);
        if (HasWork()) Pump();
    }

    private bool HasWork() => _connection!.QueuedFrames > 0 || NeedsClose();

    private bool NeedsClose() =>
        (_connection!.IsFullyClosed || _connection.IsClosingForFlush) && Volatile.Read(ref _closeStarted) == 0;

    /// <summary>
    /// Writes queued frames while each write completes at once; false when the rest goes on asynchronously (a write
    /// is pending, or the socket is being closed), in which case that continuation releases the writer role.
    /// </summary>
    private bool DrainInline()
    {
        var connection = _connection!;
        var batching = _socket as IFrameBatching;
        batching?.BeginBatch();
        while (!connection.IsFullyClosed && connection.TryTakeFrame(out var frame))
        {
            if (_broken) continue;
            // v3 binary messages carry their packet type byte (or travel as base64 text)
            if (_v3 && frame.IsBinary) frame = EngineV3PayloadWriter.ToWebSocketFrame(frame, _supportsBinary);
            ValueTask send;
            try
            {
                send = _socket.SendAsync(frame.Data, frame.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text,
                    FlagsFor(frame), CancellationToken.None);
            }
            catch (Exception ex) when (IsSocketGone(ex))
            {
                _broken = true;
                continue;
            }
            if (!send.IsCompleted)
            {
                if (batching is not null) send = Then(send, batching.EndBatch());
                _ = ContinueAfterAsync(send);
                return false;
            }
            Observe(send);
        }
        if (batching is not null)
        {
            var end = batching.EndBatch();
            if (!end.IsCompleted)
            {
                _ = ContinueAfterAsync(end);
                return false;
            }
            Observe(end);
        }

        if (!NeedsClose()) return true;
        _ = CloseThenReleaseAsync();
        return false;
    }

    /// <summary>Compressed (when negotiated) only from the threshold on and when the packet allows it, as Node.js.</summary>
    private WebSocketMessageFlags FlagsFor(in OutboundFrame frame) =>
        _server.Options.PerMessageDeflate is { } deflate && frame.Compress && frame.Data.Length >= deflate.Threshold
            ? WebSocketMessageFlags.EndOfMessage
            : WebSocketMessageFlags.EndOfMessage | WebSocketMessageFlags.DisableCompression;

    private static async ValueTask Then(ValueTask first, ValueTask second)
    {
        try
        {
            await first;
        }
        finally
        {
            await second;
        }
    }

    private void Observe(ValueTask send)
    {
        try
        {
            send.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (IsSocketGone(ex))
        {
            _broken = true;
        }
    }

    private async Task ContinueAfterAsync(ValueTask pending)
    {
        try
        {
            await pending;
        }
        catch (Exception ex) when (IsSocketGone(ex))
        {
            _broken = true;
        }
        if (DrainInline()) Release();
    }

    private async Task CloseThenReleaseAsync()
    {
        await CloseFromSendSideAsync();
        Release();
    }

    /// <summary>
    /// Closes the socket once: after a server-side Close() every queued frame is out by now, and the session
    /// finishes closing with "forced close"; after any other close the socket just follows the session.
    /// </summary>
    private async Task CloseFromSendSideAsync()
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) == 1) return;
        var connection = _connection!;
        var forced = !connection.IsFullyClosed;
        await CloseSocketAsync();
        if (forced) connection.CloseNow(EngineCloseReason.ForcedClose);
        _sendSideDone.TrySetResult();
    }

    /// <summary>Waits (bounded) until the sending side has closed the socket, so the request ends after it.</summary>
    private async Task WhenSendSideDoneAsync()
    {
        Pump();
        await Task.WhenAny(_sendSideDone.Task, Task.Delay(CloseHandshakeTimeout * 3));
    }

    private static bool IsSocketGone(Exception ex) =>
        ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException;
}
