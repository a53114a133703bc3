namespace SocketIoServer.Engine;

public sealed partial class EngineConnection
{
    /// <summary>
    /// Handles one packet from the client. Returns false when the session closed because of it, so the caller
    /// stops reading the rest of a payload.
    /// </summary>
    internal bool OnPacket(InboundPacket packet)
    {
        if (!IsOpen) return false;
        try
        {
            switch (packet.Type)
            {
                case EnginePacketType.Message:
                    if (packet.IsBinary) _server.Handler.OnBinary(this, packet.Data);
                    else _server.Handler.OnMessage(this, packet.Data);
                    break;
                case EnginePacketType.Pong:
                    if (Protocol == 3)
                    {
                        CloseNow(EngineCloseReason.TransportError, "invalid heartbeat direction");
                        return false;
                    }
                    OnPong();
                    break;
                case EnginePacketType.Ping:
                    if (Protocol != 3)
                    {
                        CloseNow(EngineCloseReason.TransportError, "invalid heartbeat direction");
                        return false;
                    }
                    OnClientPing();
                    break;
                case EnginePacketType.Close:
                    CloseNow(EngineCloseReason.TransportClose);
                    return false;
                case EnginePacketType.Noop:
                    break;
                default:
                    // open or upgrade on an established transport: Node.js ignores them
                    break;
            }
        }
        catch (Exception ex)
        {
            _server.Log.HandlerFailed(Id, ex);
        }
        return IsOpen;
    }

    /// <summary>A packet that does not parse closes the session with "parse error", as in Node.js.</summary>
    internal void OnParseError() => CloseNow(EngineCloseReason.ParseError);
}
