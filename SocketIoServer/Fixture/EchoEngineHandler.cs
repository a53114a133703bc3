using SocketIoServer.Engine;

namespace SocketIoServer.Fixture;

/// <summary>The engine.io test suite's server: every message received is sent back as it came.</summary>
internal sealed class EchoEngineHandler : IEngineHandler
{
    public void OnOpen(EngineConnection connection) { }

    public void OnMessage(EngineConnection connection, ReadOnlySpan<byte> utf8Text)
    {
        var frame = new byte[utf8Text.Length + 1];
        frame[0] = (byte)EnginePacketType.Message;
        utf8Text.CopyTo(frame.AsSpan(1));
        connection.Send(OutboundFrame.Text(frame));
    }

    public void OnBinary(EngineConnection connection, ReadOnlySpan<byte> data) =>
        connection.Send(OutboundFrame.Binary(data.ToArray()));

    public void OnClose(EngineConnection connection, EngineCloseReason reason, string? description) { }
}
