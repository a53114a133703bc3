using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace SocketIoServer.Hosting.Connections;

internal sealed partial class ConnectionWebSocket : Engine.IFrameBatching
{
    private const int MaxHeaderLength = 10; // server frames are never masked
    private const byte Fin = 0x80;

    // Set when the connection is plain TCP: frames are written to it directly. Null: through the output pipe (TLS).
    private readonly Socket? _socket;
    // The frame being written asynchronously, if any: later frames queue behind it, in order.
    private Task _sendTail = Task.CompletedTask;
    private bool _outputCompleted;

    // One frame is assembled here (header and payload together, so it goes out in one system call).
    [ThreadStatic] private static byte[]? t_frameBuffer;
    private const int FrameBufferLength = 16 * 1024;

    private object SendGate => _output;

    private static byte[] FrameBuffer => t_frameBuffer ??= GC.AllocateUninitializedArray<byte>(FrameBufferLength, pinned: true);

    // Between BeginBatch and EndBatch (one synchronous drain on one thread), frames gather in that thread's buffer.
    private bool _batching;
    private int _batchThread;
    private int _batchLength;

    void Engine.IFrameBatching.BeginBatch()
    {
        lock (SendGate)
        {
            _batching = true;
            _batchThread = Environment.CurrentManagedThreadId;
            _batchLength = 0;
        }
    }

    ValueTask Engine.IFrameBatching.EndBatch()
    {
        lock (SendGate)
        {
            var send = FlushBatch();
            _batching = false;
            return send;
        }
    }

    /// <summary>Under the send gate: writes the frames held so far (behind the frame in flight, if any).</summary>
    private ValueTask FlushBatch()
    {
        var length = _batchLength;
        _batchLength = 0;
        if (length == 0) return _sendTail.IsCompleted ? default : new ValueTask(_sendTail);
        if (_outputCompleted) return ValueTask.FromException(Gone("The connection is closed for sending."));
        if (!_sendTail.IsCompleted)
        {
            var copy = ArrayPool<byte>.Shared.Rent(length);
            FrameBuffer.AsSpan(0, length).CopyTo(copy);
            return QueueBehindTail(copy, length);
        }
        return SendNow(FrameBuffer.AsSpan(0, length));
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (messageType == WebSocketMessageType.Close) throw new ArgumentException("Use CloseOutputAsync to close.", nameof(messageType));
        if (State is not (WebSocketState.Open or WebSocketState.CloseReceived) || _closeSent)
            return ValueTask.FromException(new WebSocketException(WebSocketError.InvalidState, "The WebSocket is closed for sending."));
        var opcode = _sendContinuation ? Opcode.Continuation
            : messageType == WebSocketMessageType.Text ? Opcode.Text : Opcode.Binary;
        _sendContinuation = !endOfMessage;
        return SendFrame(opcode, buffer.Span, endOfMessage);
    }

    private bool _sendContinuation;

    private Task SendCloseFrameAsync(WebSocketCloseStatus status, string? description)
    {
        Span<byte> payload = stackalloc byte[125];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)status);
        var length = 2;
        if (!string.IsNullOrEmpty(description))
        {
            var max = Math.Min(Encoding.UTF8.GetByteCount(description), 123);
            length += Encoding.UTF8.GetBytes(description.AsSpan(0, Math.Min(description.Length, max)), payload[2..]);
        }
        ValueTask send;
        lock (SendGate)
        {
            if (_closeSent) return Task.CompletedTask;
            _closeSent = true;
            send = SendFrame(Opcode.Close, payload[..length], fin: true);
        }
        AfterCloseFrame();
        return send.AsTask();
    }

    /// <summary>Writes bytes that are not a frame (the handshake response), in order with the frames.</summary>
    internal ValueTask SendRaw(ReadOnlySpan<byte> bytes)
    {
        lock (SendGate) return SendNow(bytes);
    }

    /// <summary>Writes one frame now if the connection takes it, or queues the rest behind the frame in flight.</summary>
    private ValueTask SendFrame(Opcode opcode, ReadOnlySpan<byte> payload, bool fin)
    {
        var frameLength = HeaderLength(payload.Length) + payload.Length;
        lock (SendGate)
        {
            if (_outputCompleted) return ValueTask.FromException(Gone("The connection is closed for sending."));
            // (a pong sent by the receiving side meanwhile is not part of the batch: it goes out by itself)
            var onBatchThread = _batchThread == Environment.CurrentManagedThreadId;
            var joinsBatch = _batching && onBatchThread && frameLength <= FrameBufferLength;
            var flushed = default(ValueTask);
            // frames this thread holds were sent before this one: they go first, unless this one can join them
            var fitsBatch = joinsBatch && _sendTail.IsCompleted && _batchLength + frameLength <= FrameBufferLength;
            if (_batchLength > 0 && onBatchThread && !fitsBatch) flushed = FlushBatch();
            if (!_sendTail.IsCompleted) return QueueBehindTail(RentFrame(opcode, payload, fin, frameLength), frameLength);
            if (_sendTail.IsFaulted) return new ValueTask(_sendTail);
            if (!flushed.IsCompletedSuccessfully) return flushed;

            if (joinsBatch)
            {
                // held in this thread's buffer with the frames before it; written when full or at EndBatch
                WriteFrame(FrameBuffer.AsSpan(_batchLength), opcode, payload, fin);
                _batchLength += frameLength;
                return default;
            }
            if (frameLength <= FrameBufferLength)
            {
                var frame = FrameBuffer;
                WriteFrame(frame, opcode, payload, fin);
                return SendNow(frame.AsSpan(0, frameLength));
            }
            var big = RentFrame(opcode, payload, fin, frameLength);
            _sendTail = SendRentedAsync(big, 0, frameLength);
            return new ValueTask(_sendTail);
        }
    }

    /// <summary>Under the send gate: a rented frame goes out after the one in flight.</summary>
    private ValueTask QueueBehindTail(byte[] rented, int length)
    {
        _sendTail = SendAfterAsync(_sendTail, rented, length);
        return new ValueTask(_sendTail);
    }

    /// <summary>Under the send gate, nothing in flight: as much as the socket takes now, the rest asynchronously.</summary>
    private ValueTask SendNow(ReadOnlySpan<byte> frame)
    {
        if (_socket is null)
        {
            _output.Write(frame);
            var flush = _output.FlushAsync();
            if (flush.IsCompletedSuccessfully) return default;
            _sendTail = AwaitFlushAsync(flush);
            return new ValueTask(_sendTail);
        }

        var sent = 0;
        while (sent < frame.Length)
        {
            var n = _socket.Send(frame[sent..], SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock) break;
            if (error != SocketError.Success)
            {
                _sendTail = Task.FromException(Gone($"The connection failed: {error}."));
                return new ValueTask(_sendTail);
            }
            sent += n;
        }
        if (sent == frame.Length) return default;

        // the socket's buffer is full (a slow client): the rest waits for room, without holding anyone
        var rest = ArrayPool<byte>.Shared.Rent(frame.Length - sent);
        frame[sent..].CopyTo(rest);
        _sendTail = SendRentedAsync(rest, 0, frame.Length - sent);
        return new ValueTask(_sendTail);
    }

    private async Task SendAfterAsync(Task previous, byte[] frame, int length)
    {
        try
        {
            await previous.ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(frame);
            throw;
        }
        await SendRentedAsync(frame, 0, length).ConfigureAwait(false);
    }

    private async Task SendRentedAsync(byte[] frame, int offset, int length)
    {
        try
        {
            if (_socket is null)
            {
                await _output.WriteAsync(frame.AsMemory(offset, length)).ConfigureAwait(false);
                return;
            }
            var memory = frame.AsMemory(offset, length);
            while (!memory.IsEmpty)
            {
                var n = await _socket.SendAsync(memory, SocketFlags.None).ConfigureAwait(false);
                memory = memory[n..];
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            throw Gone(ex.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private static async Task AwaitFlushAsync(ValueTask<System.IO.Pipelines.FlushResult> flush)
    {
        var result = await flush.ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted) throw Gone("The connection is closed for sending.");
    }

    /// <summary>Ends the output once the frames in flight are written; Kestrel then closes the connection.</summary>
    private void CompleteOutputAfterSends()
    {
        Task tail;
        lock (SendGate)
        {
            if (_outputCompleted) return;
            _outputCompleted = true;
            tail = _sendTail;
        }
        if (tail.IsCompleted) _output.Complete();
        else _ = tail.ContinueWith(static (_, o) => ((System.IO.Pipelines.PipeWriter)o!).Complete(), _output,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static byte[] RentFrame(Opcode opcode, ReadOnlySpan<byte> payload, bool fin, int frameLength)
    {
        var frame = ArrayPool<byte>.Shared.Rent(frameLength);
        WriteFrame(frame, opcode, payload, fin);
        return frame;
    }

    private static int HeaderLength(int payloadLength) => payloadLength switch
    {
        <= 125 => 2,
        <= ushort.MaxValue => 4,
        _ => MaxHeaderLength,
    };

    private static void WriteFrame(Span<byte> frame, Opcode opcode, ReadOnlySpan<byte> payload, bool fin)
    {
        frame[0] = (byte)((fin ? Fin : 0) | (byte)opcode);
        int header;
        if (payload.Length <= 125)
        {
            frame[1] = (byte)payload.Length;
            header = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            frame[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)payload.Length);
            header = 4;
        }
        else
        {
            frame[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame[2..], (ulong)payload.Length);
            header = MaxHeaderLength;
        }
        payload.CopyTo(frame[header..]);
    }

    private static WebSocketException Gone(string message) => new(WebSocketError.ConnectionClosedPrematurely, message);
}
