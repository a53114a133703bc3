using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace SocketIoServer.Hosting.Connections;

internal enum Opcode : byte
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

internal sealed partial class ConnectionWebSocket
{
    // the data frame being read: its payload left, mask, and whether it ends the message
    private long _frameRemaining;
    private uint _mask;
    private int _maskOffset;
    private bool _frameFin;
    private bool _inFrame;
    // the message being read (it may span several frames)
    private bool _inMessage;
    private WebSocketMessageType _messageType;
    private Utf8StreamValidator _utf8;

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        return result.MessageType == WebSocketMessageType.Close
            ? new WebSocketReceiveResult(0, WebSocketMessageType.Close, true, _closeStatus, _closeDescription)
            : new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage);
    }

    /// <summary>
    /// Reads the next piece of the current message into <paramref name="buffer"/> (at most one frame's worth). With
    /// an empty buffer, waits until the next message (or more of it) has arrived without taking any of it, so an idle
    /// connection holds no receive buffer. Ping frames are answered, pong frames ignored, a close frame ends reading.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_closeReceived) return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
            if (State == WebSocketState.Aborted) throw new WebSocketException(WebSocketError.InvalidState, "The WebSocket was aborted.");

            var read = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var data = read.Buffer;
            if (read.IsCanceled)
            {
                _input.AdvanceTo(data.Start);
                throw new OperationCanceledException("The read was canceled.");
            }

            if (!_inFrame)
            {
                var step = TryReadFrameStart(ref data, out var closeResult);
                if (step == FrameStep.Incomplete)
                {
                    _input.AdvanceTo(data.Start, data.End);
                    if (read.IsCompleted) throw Gone("The remote party closed the connection without completing the close handshake.");
                    continue;
                }
                if (step == FrameStep.Control)
                {
                    _input.AdvanceTo(data.Start);
                    if (closeResult) return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
                    continue;
                }
            }

            // in a data frame: hand over what has arrived of its payload
            if (_frameRemaining == 0)
            {
                _input.AdvanceTo(data.Start);
                return FinishFrame(0);
            }
            if (data.IsEmpty)
            {
                _input.AdvanceTo(data.Start, data.End);
                if (read.IsCompleted) throw Gone("The remote party closed the connection in the middle of a frame.");
                continue;
            }
            if (buffer.IsEmpty)
            {
                _input.AdvanceTo(data.Start); // the payload is there; leave it for a read with room
                return new ValueWebSocketReceiveResult(0, _messageType, false);
            }

            var count = (int)Math.Min(Math.Min(data.Length, _frameRemaining), buffer.Length);
            var payload = data.Slice(0, count);
            payload.CopyTo(buffer.Span);
            _input.AdvanceTo(payload.End);
            var chunk = buffer.Span[..count];
            Unmask(chunk);
            _frameRemaining -= count;
            if (_messageType == WebSocketMessageType.Text && !_utf8.Append(chunk))
                throw FailNow(WebSocketCloseStatus.InvalidPayloadData, "The text message is not valid UTF-8.");
            if (_frameRemaining > 0) return new ValueWebSocketReceiveResult(count, _messageType, false);
            var finished = FinishFrame(count);
            if (finished.EndOfMessage && _messageType == WebSocketMessageType.Text && !_utf8.Complete())
                throw FailNow(WebSocketCloseStatus.InvalidPayloadData, "The text message is not valid UTF-8.");
            return finished;
        }
    }

    private ValueWebSocketReceiveResult FinishFrame(int count)
    {
        _inFrame = false;
        if (_frameFin) _inMessage = false;
        if (_frameFin && _messageType == WebSocketMessageType.Text && count == 0 && !_utf8.Complete())
            throw FailNow(WebSocketCloseStatus.InvalidPayloadData, "The text message is not valid UTF-8.");
        return new ValueWebSocketReceiveResult(count, _messageType, _frameFin);
    }

    private enum FrameStep { Incomplete, Data, Control }

    /// <summary>
    /// Parses a frame header at the start of <paramref name="data"/>. A data frame's header is consumed (the payload
    /// follows); a control frame is handled whole once all of it has arrived.
    /// </summary>
    private FrameStep TryReadFrameStart(ref ReadOnlySequence<byte> data, out bool closed)
    {
        closed = false;
        Span<byte> header = stackalloc byte[14];
        if (data.Length < 2) return FrameStep.Incomplete;
        data.Slice(0, 2).CopyTo(header);
        var fin = (header[0] & 0x80) != 0;
        var opcode = (Opcode)(header[0] & 0x0F);
        var masked = (header[1] & 0x80) != 0;
        var length7 = header[1] & 0x7F;
        if ((header[0] & 0x70) != 0) throw FailNow(WebSocketCloseStatus.ProtocolError, "Reserved bits are set but no extension was negotiated.");
        if (!masked) throw FailNow(WebSocketCloseStatus.ProtocolError, "A client frame is not masked.");
        var headerLength = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + 4;
        if (data.Length < headerLength) return FrameStep.Incomplete;
        data.Slice(0, headerLength).CopyTo(header);
        long length = length7 switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            127 => (long)BinaryPrimitives.ReadUInt64BigEndian(header[2..]),
            _ => length7,
        };
        if (length < 0) throw FailNow(WebSocketCloseStatus.ProtocolError, "The frame length is invalid.");
        var mask = BinaryPrimitives.ReadUInt32LittleEndian(header[(headerLength - 4)..]);

        if (opcode is Opcode.Close or Opcode.Ping or Opcode.Pong)
        {
            if (!fin || length > 125) throw FailNow(WebSocketCloseStatus.ProtocolError, "A control frame is fragmented or too long.");
            if (data.Length < headerLength + length) return FrameStep.Incomplete;
            Span<byte> payload = stackalloc byte[(int)length];
            data.Slice(headerLength, length).CopyTo(payload);
            data = data.Slice(headerLength + length);
            _mask = mask;
            _maskOffset = 0;
            Unmask(payload);
            closed = OnControlFrame(opcode, payload);
            return FrameStep.Control;
        }

        if (opcode is Opcode.Continuation)
        {
            if (!_inMessage) throw FailNow(WebSocketCloseStatus.ProtocolError, "A continuation frame arrived outside a message.");
        }
        else if (opcode is Opcode.Text or Opcode.Binary)
        {
            if (_inMessage) throw FailNow(WebSocketCloseStatus.ProtocolError, "A new message began before the last one ended.");
            _messageType = opcode == Opcode.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
            _inMessage = true;
        }
        else
        {
            throw FailNow(WebSocketCloseStatus.ProtocolError, $"Unknown opcode {(int)opcode}.");
        }

        data = data.Slice(headerLength);
        _inFrame = true;
        _frameFin = fin;
        _frameRemaining = length;
        _mask = mask;
        _maskOffset = 0;
        return FrameStep.Data;
    }

    /// <summary>Answers a ping, ignores a pong; true for a close frame, which ends reading.</summary>
    private bool OnControlFrame(Opcode opcode, ReadOnlySpan<byte> payload)
    {
        switch (opcode)
        {
            case Opcode.Ping:
                _ = ObserveAsync(SendFrame(Opcode.Pong, payload, fin: true));
                return false;
            case Opcode.Pong:
                return false;
        }

        if (payload.Length == 1) throw FailNow(WebSocketCloseStatus.ProtocolError, "The close frame is invalid.");
        if (payload.Length >= 2)
        {
            var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
            if (!IsValidCloseCode(code)) throw FailNow(WebSocketCloseStatus.ProtocolError, $"Invalid close code {code}.");
            var reason = payload[2..];
            if (!System.Text.Unicode.Utf8.IsValid(reason)) throw FailNow(WebSocketCloseStatus.InvalidPayloadData, "The close reason is not valid UTF-8.");
            _closeStatus = (WebSocketCloseStatus)code;
            _closeDescription = Encoding.UTF8.GetString(reason);
        }
        else
        {
            _closeStatus = WebSocketCloseStatus.Empty;
        }
        _closeReceived = true;
        AfterCloseFrame();
        return true;
    }

    private static bool IsValidCloseCode(int code) =>
        code is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999;

    private void Unmask(Span<byte> data)
    {
        if (data.IsEmpty) return;
        // rotate the 4-byte key to where the previous chunk stopped, then XOR word by word
        var shift = 8 * _maskOffset;
        var key = shift == 0 ? _mask : (_mask >> shift) | (_mask << (32 - shift));
        var i = 0;
        ulong key64 = key | ((ulong)key << 32);
        for (; i + 8 <= data.Length; i += 8)
        {
            var word = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            BinaryPrimitives.WriteUInt64LittleEndian(data[i..], word ^ key64);
        }
        for (; i < data.Length; i++) data[i] ^= (byte)(key >> (8 * (i & 3)));
        _maskOffset = (_maskOffset + data.Length) & 3;
    }

    /// <summary>A protocol violation by the peer: the close frame says why, and the connection ends.</summary>
    private WebSocketException FailNow(WebSocketCloseStatus status, string message)
    {
        _ = ObserveAsync(new ValueTask(SendCloseFrameAsync(status, null)));
        _closeReceived = true; // nothing more is read
        Interlocked.Exchange(ref _state, (int)WebSocketState.Aborted);
        CompleteOutputAfterSends();
        return new WebSocketException(WebSocketError.Faulted, message);
    }

    private static async Task ObserveAsync(ValueTask send)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            // the connection is gone; the receive side finds out by itself
        }
    }

    private void AfterCloseFrame()
    {
        var both = _closeSent && _closeReceived;
        var next = both ? WebSocketState.Closed : _closeSent ? WebSocketState.CloseSent : WebSocketState.CloseReceived;
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (current is (int)WebSocketState.Closed or (int)WebSocketState.Aborted) return;
            if (Interlocked.CompareExchange(ref _state, (int)next, current) == current) break;
        }
        if (both) CompleteOutputAfterSends();
    }
}
