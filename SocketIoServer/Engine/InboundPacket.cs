namespace SocketIoServer.Engine;

/// <summary>A decoded Engine.IO packet from a client; <see cref="Data"/> is only valid during the call it is passed to.</summary>
internal readonly ref struct InboundPacket
{
    public InboundPacket(EnginePacketType type, ReadOnlySpan<byte> data, bool isBinary)
    {
        Type = type;
        Data = data;
        IsBinary = isBinary;
    }

    public EnginePacketType Type { get; }

    /// <summary>For a text packet the UTF-8 text after the type digit; for a binary message the raw bytes.</summary>
    public ReadOnlySpan<byte> Data { get; }

    public bool IsBinary { get; }
}
