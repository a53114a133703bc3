namespace SocketIoServer.Server;

/// <summary>
/// Thrown by a namespace middleware to refuse a connection; the client receives CONNECT_ERROR
/// <c>{"message": Message, "data": ErrorData}</c> (<c>data</c> left out when null), as Node.js sends for
/// <c>next(err)</c> with <c>err.data</c>. Any other exception refuses too, with its message and no data.
/// </summary>
public sealed class ConnectionRefusedException(string message, object? errorData = null) : Exception(message)
{
    public object? ErrorData { get; } = errorData;
}
