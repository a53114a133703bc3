namespace SocketIoServer.Engine;

/// <summary>
/// The one interface through which the engine calls up. Calls for one connection never overlap; spans are only
/// valid during the call.
/// </summary>
public interface IEngineHandler
{
    /// <summary>
    /// A session completed its handshake; its transport has taken the open packet (over polling, the handshake
    /// response holds it), so what is sent from here goes out after it: with the next poll, as in Node.js.
    /// </summary>
    void OnOpen(EngineConnection connection);

    /// <summary>A text message packet (the UTF-8 text after the <c>4</c> type digit).</summary>
    void OnMessage(EngineConnection connection, ReadOnlySpan<byte> utf8Text);

    /// <summary>A binary message packet.</summary>
    void OnBinary(EngineConnection connection, ReadOnlySpan<byte> data);

    /// <summary>The session closed; it accepts no more frames.</summary>
    void OnClose(EngineConnection connection, EngineCloseReason reason, string? description);
}
