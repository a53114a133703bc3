using System.Text.Json.Nodes;

namespace SocketIoServer.Parser;

/// <summary>
/// A decoded Socket.IO packet. Binary attachments have already been put back in place of their placeholders, as
/// <see cref="JsonValue"/>s holding <c>byte[]</c>; <see cref="Type"/> is then reported as EVENT or ACK, as Node.js does.
/// </summary>
public sealed class SocketIoPacket
{
    public required PacketType Type { get; init; }

    public string Namespace { get; init; } = "/";

    public long? Id { get; init; }

    /// <summary>The payload: an object for CONNECT, an array for EVENT and ACK, null when absent.</summary>
    public JsonNode? Data { get; init; }

    /// <summary>Number of binary attachments the packet carried (0 for plain packets).</summary>
    public int Attachments { get; init; }
}
