using System.Text.Json.Nodes;

namespace SocketIoServer.Server;

/// <summary>Emits to one socket with flags: a timeout for the acknowledgement, volatile delivery, no compression.</summary>
public readonly struct SocketEmitter
{
    private readonly Socket _socket;
    private readonly TimeSpan? _timeout;
    private readonly bool _volatile;
    private readonly bool _noCompression;

    internal SocketEmitter(Socket socket, TimeSpan? timeout, bool volatileFlag, bool noCompression = false)
    {
        _socket = socket;
        _timeout = timeout;
        _volatile = volatileFlag;
        _noCompression = noCompression;
    }

    public SocketEmitter Timeout(TimeSpan timeout) => new(_socket, timeout, _volatile, _noCompression);

    public SocketEmitter Volatile => new(_socket, _timeout, true, _noCompression);

    /// <summary>Whether the transport may compress the packet (Node.js <c>compress()</c>; default true).</summary>
    public SocketEmitter Compress(bool compress) => new(_socket, _timeout, _volatile, !compress);

    public bool Emit(string eventName, params object?[] args)
    {
        _socket.Namespace.ThrowIfReserved(eventName);
        if (!_socket.IsConnected) return false;
        if (_socket.Pid is not null && !_volatile) return _socket.EmitRecoverable(eventName, args, !_noCompression);
        _socket.NotifyOutgoing(eventName, args);
        return _socket.Client.Write(_socket.Parser.EncodeEvent(_socket.Namespace.Name, eventName, args), _volatile, !_noCompression);
    }

    /// <summary>Sends and waits for the acknowledgement; throws <see cref="TimeoutException"/> when it is late.</summary>
    public Task<JsonNode?[]> EmitWithAckAsync(string eventName, params object?[] args) =>
        _socket.EmitWithAckAsync(eventName, args, _timeout, _volatile, !_noCompression, CancellationToken.None);

    public Task<JsonNode?[]> EmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken) =>
        _socket.EmitWithAckAsync(eventName, args, _timeout, _volatile, !_noCompression, cancellationToken);
}
