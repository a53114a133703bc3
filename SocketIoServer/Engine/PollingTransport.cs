using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace SocketIoServer.Engine;

/// <summary>
/// HTTP long-polling for one session: a GET waits for queued frames and returns them as one payload; a POST
/// carries a payload from the client. One GET and one POST at a time, as in Node.js.
/// </summary>
internal sealed class PollingTransport
{
    private readonly EngineConnection _connection;
    private readonly EngineServer _server;
    private readonly PollingPayloadFormat _format;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _wake;
    private int _getActive;
    // POSTs are handled one at a time, in arrival order. Node.js closes a session whose client overlaps POSTs; the
    // SocketIOClient .NET package does overlap them when it emits quickly, so they wait their turn here instead.
    private readonly SemaphoreSlim _postGate = new(1, 1);
    private const int MaxWaitingPosts = 64;
    private static readonly TimeSpan PostHoldLimit = TimeSpan.FromMilliseconds(50);
    private int _postsWaiting;
    private int _dispatching;
    private int _reading; // under _gate: a GET is reading the outbox (the WebSocket send loop must not read at the same time)
    private TaskCompletionSource? _readingDone;
    private bool _noopRequested;
    private bool _discarded;
    private bool _closedWhilePolling;
    private ITimer? _closeTimer;

    private static readonly byte[] OkBody = "ok"u8.ToArray();

    public PollingTransport(EngineConnection connection, EngineServer server)
    {
        _connection = connection;
        _server = server;
        _format = PollingPayloadFormat.For(connection);
    }

    public bool HasPendingPoll => Volatile.Read(ref _getActive) == 1;

    /// <summary>Asks a waiting (or the next) GET to return a noop at once, so the client can finish its upgrade.</summary>
    public void RequestNoop()
    {
        lock (_gate) _noopRequested = true;
        Wake();
    }

    /// <summary>The upgrade failed: polls wait for data again.</summary>
    public void ClearNoop()
    {
        lock (_gate) _noopRequested = false;
    }

    public void Discard()
    {
        lock (_gate) _discarded = true;
        Wake();
    }

    public void OnClosingForFlush(TimeSpan timeout)
    {
        // Node.js answers a poll already waiting with just "close"; a later poll gets "noop" + "close"
        lock (_gate) _closedWhilePolling = HasPendingPoll;
        _closeTimer = _server.Time.CreateTimer(static s => ((EngineConnection)s!).CloseNow(EngineCloseReason.ForcedClose),
            _connection, timeout, Timeout.InfiniteTimeSpan);
        Wake();
    }

    public void OnSessionClosed(EngineCloseReason reason)
    {
        _closeTimer?.Dispose();
        Wake();
    }

    private void Wake()
    {
        lock (_gate)
        {
            try { _wake?.Cancel(); }
            catch (ObjectDisposedException) { }
        }
    }

    /// <summary>Answers a GET; for the <paramref name="handshake"/> GET, the handler hears of the session once it has its packets.</summary>
    public async Task HandleGetAsync(HttpContext context, bool handshake = false)
    {
        if (Interlocked.CompareExchange(ref _getActive, 1, 0) != 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            _connection.CloseNow(EngineCloseReason.TransportError, "overlap from client");
            return;
        }

        var frames = new List<OutboundFrame>();
        var heldForPost = false;
        var released = false; // this GET let go of the session before writing its response
        try
        {
            while (true)
            {
                CancellationTokenSource wake;
                lock (_gate)
                {
                    wake = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                    _wake = wake;
                    _reading = 1;
                }

                try
                {
                    if (!heldForPost && Volatile.Read(ref _dispatching) == 1 && !_connection.IsFullyClosed)
                    {
                        // As in Node.js, whose handlers run after the POST's "ok" is written: what a POST's packets
                        // cause goes out after that POST is answered (a client that closes on a DISCONNECT must not
                        // still be waiting for its POST). Bounded, so a handler that blocks cannot hold the poll.
                        heldForPost = true;
                        await Task.Delay(PostHoldLimit, wake.Token);
                        continue;
                    }
                    if (TryTakeResponse(frames, out var finishClose))
                    {
                        StopReading();
                        // The client may send its next GET as soon as it has this response, possibly before this
                        // method gets to its finally: this GET is over now (Node.js likewise forgets the request
                        // as it writes the response), or that next GET would look like an overlap.
                        released = true;
                        Volatile.Write(ref _getActive, 0);
                        // the session is gone before the client can read its close packet and ask again (Node.js
                        // closes it in the write's callback, before any other request is handled)
                        if (finishClose) _connection.CloseNow(EngineCloseReason.ForcedClose);
                        // before the client can read its sid and send anything, after the open packet was taken
                        if (handshake && !_connection.IsFullyClosed) _connection.NotifyOpen();
                        await WritePayloadAsync(context, frames);
                        return;
                    }

                    await _connection.Outbox.WaitAsync(wake.Token);
                }
                catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
                {
                    // woken up: decide again
                }
                catch (OperationCanceledException)
                {
                    _connection.CloseNow(EngineCloseReason.TransportError, "poll connection closed prematurely");
                    return;
                }
                finally
                {
                    lock (_gate)
                    {
                        if (_wake == wake) _wake = null; // (a next GET may have set its own already)
                    }
                    wake.Dispose();
                }
            }
        }
        finally
        {
            if (!released)
            {
                StopReading();
                Volatile.Write(ref _getActive, 0);
            }
        }
    }

    private void StopReading()
    {
        TaskCompletionSource? done;
        lock (_gate)
        {
            if (_reading == 0) return;
            _reading = 0;
            done = _readingDone;
            _readingDone = null;
        }
        done?.TrySetResult();
    }

    /// <summary>Completes once no GET reads the outbox; the outbox has one reader at a time.</summary>
    public Task WhenNotReadingAsync()
    {
        lock (_gate)
        {
            if (_reading == 0) return Task.CompletedTask;
            _readingDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _readingDone.Task;
        }
    }

    /// <summary>Fills <paramref name="frames"/> with what this GET must return; false when it must keep waiting.</summary>
    private bool TryTakeResponse(List<OutboundFrame> frames, out bool finishClose)
    {
        finishClose = false;
        frames.Clear();
        if (_connection.IsFullyClosed)
        {
            // Node.js answers a waiting poll with "close", or "noop" when the client itself closed.
            frames.Add(_connection.CloseReason == EngineCloseReason.TransportClose ? OutboundFrame.Noop : OutboundFrame.Close);
            return true;
        }

        bool discarded, noop;
        lock (_gate)
        {
            discarded = _discarded;
            noop = _noopRequested;
        }

        if (discarded)
        {
            frames.Add(OutboundFrame.Noop);
            return true;
        }

        while (_connection.TryTakeFrame(out var frame)) frames.Add(frame);

        if (_connection.IsClosingForFlush)
        {
            // As Node.js: what was queued goes out alone (socket.io-client handles a close packet before the
            // packets that precede it in the same payload); then "close": alone to a poll that was already
            // waiting, or "noop" + "close" to a later one.
            lock (_gate)
            {
                if (frames.Count > 0)
                {
                    _closedWhilePolling = false;
                    return true;
                }
                if (!_closedWhilePolling) frames.Add(OutboundFrame.Noop);
            }
            frames.Add(OutboundFrame.Close);
            finishClose = true;
            return true;
        }

        if (frames.Count > 0) return true;
        if (noop)
        {
            frames.Add(OutboundFrame.Noop);
            return true;
        }
        return false;
    }

    private async Task WritePayloadAsync(HttpContext context, List<OutboundFrame> frames)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(frames);
        var length = _format.MaxLength(span);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = _format.Write(span, buffer, out var contentType);
            var body = buffer.AsMemory(0, written);
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = contentType;
            response.Headers.CacheControl = "no-store";
            // as Node.js: when any packet may be compressed, the payload reaches the threshold and the client accepts it
            if (_server.Options.HttpCompression is { } compression && written >= compression.Threshold &&
                AnyCompressible(span) && HttpCompression.Negotiate(context.Request) is { } encoding)
            {
                body = HttpCompression.Compress(body.Span, encoding, compression.Level);
                response.Headers.ContentEncoding = encoding;
            }
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // the client went away while we answered; its next request will find out
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool AnyCompressible(ReadOnlySpan<OutboundFrame> frames)
    {
        foreach (var frame in frames)
            if (frame.Compress) return true;
        return false;
    }

    public async Task HandlePostAsync(HttpContext context)
    {
        if (Interlocked.Increment(ref _postsWaiting) > MaxWaitingPosts)
        {
            // a client flooding POSTs in parallel is not one that waits for answers
            Interlocked.Decrement(ref _postsWaiting);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            _connection.CloseNow(EngineCloseReason.TransportError, "data request overlap from client");
            return;
        }
        try
        {
            await _postGate.WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _postsWaiting);
            _connection.CloseNow(EngineCloseReason.TransportError, "data request connection closed prematurely");
            return;
        }

        try
        {
            var isBinary = string.Equals(context.Request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase);
            if (isBinary && _connection.Protocol == 4)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                _connection.CloseNow(EngineCloseReason.TransportError, "invalid content");
                return;
            }

            var max = _server.Options.MaxHttpBufferSize;
            var body = await RequestBody.ReadAsync(context, max);
            if (body is null)
            {
                if (context.RequestAborted.IsCancellationRequested)
                {
                    _connection.CloseNow(EngineCloseReason.TransportError, "data request connection closed prematurely");
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                _connection.CloseNow(EngineCloseReason.TransportError, "payload too large");
                return;
            }

            Volatile.Write(ref _dispatching, 1);
            try
            {
                if (!_format.Decode(body.Value.Span, isBinary, _connection)) _connection.OnParseError();
            }
            finally
            {
                body.Value.Dispose();
            }

            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/html";
            response.ContentLength = 2;
            response.Headers.CacheControl = "no-store";
            await response.Body.WriteAsync(OkBody, context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            _connection.CloseNow(EngineCloseReason.TransportError, "data request connection closed prematurely");
        }
        finally
        {
            Volatile.Write(ref _dispatching, 0);
            Interlocked.Decrement(ref _postsWaiting);
            _postGate.Release();
            Wake();
        }
    }
}
