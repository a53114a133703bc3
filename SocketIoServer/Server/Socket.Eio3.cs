namespace SocketIoServer.Server;

/// <summary>Engine.IO v3 clients (socket.io-client 2.x): see <see cref="LegacyClientProtocol"/>.</summary>
public sealed partial class Socket
{
    /// <summary>As <see cref="OnConnected"/>, with the CONNECT reply of protocol revision 4: no payload.</summary>
    private void OnLegacyClientConnected()
    {
        System.Threading.Volatile.Write(ref _state, 1);
        Join(Id);
        Client.Write(LegacyClientProtocol.ConnectReply(Namespace.Name), volatileFlag: false);
    }
}
