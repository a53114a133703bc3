using System.Text.Json.Nodes;
using SocketIoServer.Parser;

namespace SocketIoServer.Server;

/// <summary>Engine.IO v3 clients (socket.io-client 2.x): see <see cref="LegacyClientProtocol"/>.</summary>
public sealed partial class Client
{
    /// <summary>
    /// 2.x clients never send CONNECT for "/": Node.js connects them to it as soon as the engine connection opens
    /// (the connect timeout is cleared once that succeeds, as for any namespace).
    /// </summary>
    internal void ConnectLegacyClientToMain() => Connect("/", new JsonObject());

    /// <summary>Reads the namespace as Node.js does for v3 clients; a namespace that is no URL closes the connection.</summary>
    private bool TryReadLegacyNamespace(ref SocketIoPacket packet)
    {
        if (LegacyClientProtocol.WithNamespacePath(packet) is { } parsed)
        {
            packet = parsed;
            return true;
        }
        Close();
        return false;
    }
}
