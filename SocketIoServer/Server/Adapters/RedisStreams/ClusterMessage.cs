using System.Text.Json.Nodes;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>
/// One message between the nodes (<c>{uid, nsp, type, data}</c>), from a stream entry or a pub/sub payload; its
/// <see cref="Data"/> decoded to a JSON tree (binary values as <see cref="JsonValue"/>s holding <c>byte[]</c>).
/// </summary>
internal sealed record ClusterMessage(string Uid, string Nsp, int Type, JsonObject? Data)
{
    public ClusterMessageType Kind => (ClusterMessageType)Type;

    public string? RequestId => ClusterJson.Text(Data?["requestId"]);
}
