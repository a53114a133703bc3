using System.Text.Json.Nodes;

namespace SocketIoServer.Server;

/// <summary>
/// An event another node of the cluster sent to this namespace with <c>ServerSideEmitAsync</c> (Node.js's
/// <c>io.serverSideEmit</c>, heard with <c>io.on(event)</c>); <see cref="Ack"/> answers when the sender asked for one.
/// </summary>
public sealed class ServerSideEvent(string name, JsonNode?[] args, Action<object?>? ack)
{
    private int _acked;

    public string Name { get; } = name;

    public JsonNode?[] Args { get; } = args;

    public bool HasAck => ack is not null;

    /// <summary>Answers the sender once (one value, as Node.js keeps only the first argument); false when no answer is expected.</summary>
    public bool Ack(object? value = null)
    {
        if (ack is null || Interlocked.Exchange(ref _acked, 1) == 1) return false;
        ack(value);
        return true;
    }
}
