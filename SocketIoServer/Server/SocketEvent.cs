using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIoServer.Server;

/// <summary>
/// An event received from a client: its name, its arguments (binary attachments are <see cref="JsonValue"/>s
/// holding <c>byte[]</c>), and the acknowledgement callback when the client asked for one.
/// </summary>
public sealed class SocketEvent
{
    private readonly long? _ackId;
    private int _acked;

    internal SocketEvent(Socket socket, string name, JsonNode?[] args, long? ackId)
    {
        Socket = socket;
        Name = name;
        Args = args;
        _ackId = ackId;
    }

    public Socket Socket { get; }

    public string Name { get; }

    /// <summary>The arguments after the event name. Pass them to <c>Emit</c> as they are to send them back.</summary>
    public JsonNode?[] Args { get; }

    /// <summary>Whether the client waits for an acknowledgement.</summary>
    public bool HasAck => _ackId.HasValue;

    /// <summary>Argument <paramref name="index"/> deserialized as <typeparamref name="T"/> (default when absent).</summary>
    public T? Arg<T>(int index)
    {
        if (index >= Args.Length || Args[index] is not { } node) return default;
        if (typeof(T) == typeof(byte[]) && node is JsonValue v && v.TryGetValue<byte[]>(out var bytes)) return (T)(object)bytes;
        // a node is returned as it is, binary values included (deserializing would turn them into base64)
        if (node is T same) return same;
        return node.Deserialize<T>(Parser.SocketIoJson.Options);
    }

    /// <summary>The binary value of argument <paramref name="index"/>, or null when it is not binary.</summary>
    public byte[]? Bytes(int index) =>
        index < Args.Length && Args[index] is JsonValue v && v.TryGetValue<byte[]>(out var bytes) ? bytes : null;

    /// <summary>Answers the client's acknowledgement once; false when none was asked or it was already sent.</summary>
    public bool Ack(params object?[] args)
    {
        if (_ackId is not { } id || Interlocked.Exchange(ref _acked, 1) == 1) return false;
        Socket.SendAck(id, args);
        return true;
    }
}
