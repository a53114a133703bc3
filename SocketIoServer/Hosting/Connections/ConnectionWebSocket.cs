using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace SocketIoServer.Hosting.Connections;

/// <summary>
/// The server side of RFC 6455 on a Kestrel connection, without extensions or subprotocols. Frames are read from
/// the connection's input pipe (<c>ConnectionWebSocket.Receive.cs</c>); frames sent go straight to the TCP socket
/// from the sending thread when the connection is plain TCP, or through the output pipe otherwise
/// (<c>ConnectionWebSocket.Send.cs</c>). Compared with <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>
/// over the pipes, a delivery skips the pipe, its send loop and the thread hop to it, and an idle connection holds
/// a few fields instead of a stream adapter, locks and buffers.
/// </summary>
internal sealed partial class ConnectionWebSocket : WebSocket
{
    private readonly ConnectionContext _connection;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private int _state = (int)WebSocketState.Open;
    private bool _closeSent;
    private bool _closeReceived;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeDescription;

    public ConnectionWebSocket(ConnectionContext connection, System.Net.Sockets.Socket? directSocket)
    {
        _connection = connection;
        _input = connection.Transport.Input;
        _output = connection.Transport.Output;
        _socket = directSocket;
    }

    public override WebSocketCloseStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => _closeDescription;

    public override WebSocketState State => (WebSocketState)Volatile.Read(ref _state);

    public override string? SubProtocol => null;

    public override void Abort()
    {
        if (Interlocked.Exchange(ref _state, (int)WebSocketState.Aborted) is (int)WebSocketState.Aborted or (int)WebSocketState.Closed) return;
        _connection.Abort(new ConnectionAbortedException("The WebSocket was aborted."));
    }

    public override async Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        if (_closeSent) return;
        await SendCloseFrameAsync(closeStatus, statusDescription).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        await CloseOutputAsync(closeStatus, statusDescription, cancellationToken).ConfigureAwait(false);
        while (!_closeReceived && State is not (WebSocketState.Aborted or WebSocketState.Closed))
        {
            var result = await ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            if (result.MessageType != WebSocketMessageType.Close)
                await ReceiveAsync(new byte[result.Count == 0 ? 1024 : result.Count], cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        if (State is not (WebSocketState.Closed or WebSocketState.Aborted)) Abort();
    }
}
