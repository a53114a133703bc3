using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace SocketIoServer.Engine;

/// <summary>
/// The WebSocket transport of one session: a receive loop that decodes frames, and the sending side
/// (<c>WebSocketTransport.Send.cs</c>) that drains the session's outbox, one writer at a time.
/// </summary>
internal sealed partial class WebSocketTransport
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly EngineServer _server;
    private readonly bool _supportsBinary; // v3: binary frames as such, or as base64 text ("b64" on the request)
    private bool _v3;
    private EngineConnection? _connection;
    // Empty while idle: a zero-byte read waits for the next message, and a pooled buffer is taken only to read it,
    // so tens of thousands of idle connections hold no receive buffers.
    private byte[] _receiveBuffer = Array.Empty<byte>();

    public WebSocketTransport(WebSocket socket, EngineServer server, bool supportsBinary = true)
    {
        _socket = socket;
        _server = server;
        _supportsBinary = supportsBinary;
    }

    /// <summary>A new session opened directly over WebSocket.</summary>
    public Task RunDirectAsync(EngineConnection connection)
    {
        _connection = connection;
        _v3 = connection.Protocol == 3;
        connection.AttachWebSocket(this);
        EnableSending();
        connection.Start();
        return ReceiveLoopAsync(connection); // not awaited here: one state machine less per idle connection
    }

    /// <summary>An upgrade of an existing polling session: probe, then switch.</summary>
    public async Task RunUpgradeAsync(EngineConnection connection)
    {
        _connection = connection;
        _v3 = connection.Protocol == 3;
        try
        {
            if (!await ProbeAsync(connection))
            {
                connection.AbortUpgrade();
                await CloseSocketAsync();
                ReturnBuffer();
                return;
            }
            connection.CompleteUpgrade(this);
            // the poll that was waiting has been told to go; once it no longer reads the outbox, we do
            if (connection.Polling is { } polling) await polling.WhenNotReadingAsync();
            EnableSending();
        }
        catch
        {
            ReturnBuffer();
            throw;
        }
        await ReceiveLoopAsync(connection);
    }

    /// <summary>Rejects a WebSocket whose session cannot be upgraded (closed, already upgrading or upgraded).</summary>
    public async Task RefuseAsync()
    {
        await CloseSocketAsync();
        ReturnBuffer();
    }

    private async Task<bool> ProbeAsync(EngineConnection connection)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ClosedToken);
        timeout.CancelAfter(_server.Options.UpgradeTimeout);
        var probed = false;
        try
        {
            while (true)
            {
                var first = await _socket.ReceiveAsync(Memory<byte>.Empty, timeout.Token);
                var (type, length) = await ReceiveMessageAsync(first, timeout.Token);
                if (type == WebSocketMessageType.Close || length < 0) return false;
                var data = _receiveBuffer.AsSpan(0, length);
                if (type == WebSocketMessageType.Text && !probed && data.SequenceEqual("2probe"u8))
                {
                    await _socket.SendAsync(OutboundFrame.ProbePong.Data, WebSocketMessageType.Text, true, timeout.Token);
                    probed = true;
                    connection.Polling?.RequestNoop();
                    continue;
                }
                if (type == WebSocketMessageType.Text && probed && data.SequenceEqual("5"u8))
                    return connection.IsOpen;
                return false; // anything else aborts the upgrade, as in Node.js
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            return false;
        }
    }

    /// <summary>Reads messages until the session ends, then waits for the sending side to close the socket.</summary>
    private async Task ReceiveLoopAsync(EngineConnection connection)
    {
        try
        {
            while (true)
            {
                // idle connections wait here, holding no buffer
                var first = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                var (type, length) = await ReceiveMessageAsync(first, CancellationToken.None);
                if (type == WebSocketMessageType.Close)
                {
                    connection.CloseNow(EngineCloseReason.TransportClose);
                    break;
                }
                if (length < 0)
                {
                    connection.CloseNow(EngineCloseReason.TransportError, "message too big");
                    break;
                }
                if (!connection.IsOpen && !connection.IsClosingForFlush) continue;

                var data = _receiveBuffer.AsSpan(0, length);
                if (_v3)
                {
                    if (!EngineV3PayloadReader.DecodeWebSocketMessage(data, type == WebSocketMessageType.Binary, connection,
                            static (c, p) => c.OnPacket(p)))
                        connection.OnParseError();
                }
                else if (type == WebSocketMessageType.Binary)
                {
                    connection.OnPacket(new InboundPacket(EnginePacketType.Message, data, true));
                }
                else if (EnginePacketCodec.TryParseText(data, out var packetType, out var payload))
                {
                    connection.OnPacket(new InboundPacket(packetType, payload, false));
                }
                else
                {
                    connection.OnParseError();
                }
                ReturnBuffer();
            }
        }
        catch (WebSocketException ex) when (ex.WebSocketErrorCode != WebSocketError.ConnectionClosedPrematurely)
        {
            // a protocol violation by the peer (bad frame, invalid UTF-8...)
            connection.CloseNow(EngineCloseReason.TransportError, ex.Message);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // the connection went away without a closing handshake: Node.js (ws) reports that as a close too
            connection.CloseNow(EngineCloseReason.TransportClose, ex.Message);
        }

        await WhenSendSideDoneAsync();
        ReturnBuffer();
    }

    /// <summary>
    /// Reads the message whose arrival a zero-byte read (<paramref name="first"/>) reported into the receive buffer;
    /// length -1 when it exceeds maxHttpBufferSize. Usually the whole message is there and no await suspends.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync(ValueWebSocketReceiveResult first, CancellationToken token)
    {
        var max = _server.Options.MaxHttpBufferSize;
        var length = 0;
        if (first.MessageType == WebSocketMessageType.Close) return (WebSocketMessageType.Close, 0);
        if (first.EndOfMessage) return (first.MessageType, 0);
        if (_receiveBuffer.Length == 0) _receiveBuffer = ArrayPool<byte>.Shared.Rent(4096);
        while (true)
        {
            if (length == _receiveBuffer.Length)
            {
                if (length >= max + 1)
                {
                    await CloseSocketAsync(WebSocketCloseStatus.MessageTooBig);
                    return (WebSocketMessageType.Binary, -1);
                }
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(length * 2, 4096), max + 1));
                _receiveBuffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_receiveBuffer);
                _receiveBuffer = bigger;
            }

            var result = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(length), token);
            if (result.MessageType == WebSocketMessageType.Close) return (WebSocketMessageType.Close, 0);
            length += result.Count;
            if (length > max)
            {
                await CloseSocketAsync(WebSocketCloseStatus.MessageTooBig);
                return (result.MessageType, -1);
            }
            if (result.EndOfMessage) return (result.MessageType, length);
        }
    }

    /// <summary>The session closed: the sending side closes the socket (after the frame being written, if any).</summary>
    public void OnSessionClosed()
    {
        Pump();
        _ = AbortLaterAsync();
    }

    private async Task AbortLaterAsync()
    {
        // A peer that never completes the closing handshake must not keep the socket alive.
        await Task.Delay(CloseHandshakeTimeout * 2).ConfigureAwait(false);
        if (_socket.State != WebSocketState.Closed && _socket.State != WebSocketState.Aborted) _socket.Abort();
    }

    private async Task CloseSocketAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
        try
        {
            await _socket.CloseOutputAsync(status, null, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    private void ReturnBuffer()
    {
        var buffer = Interlocked.Exchange(ref _receiveBuffer, Array.Empty<byte>());
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
