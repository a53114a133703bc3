using System.Net.WebSockets;

namespace SocketIoServer.Engine;

/// <summary>
/// WebSocket permessage-deflate (RFC 7692; Node.js <c>perMessageDeflate</c>): negotiated with clients that offer it,
/// used for messages of at least <see cref="Threshold"/> bytes whose packet allows compression.
/// </summary>
public sealed class EnginePerMessageDeflateOptions
{
    /// <summary>Messages shorter than this many bytes are sent uncompressed. Default 1024, as Node.js.</summary>
    public int Threshold { get; set; } = 1024;

    /// <summary>Keep the compression context between messages (better ratio, more memory per connection). Default true.</summary>
    public bool ContextTakeover { get; set; } = true;

    /// <summary>LZ77 window of the server's compressor, 9–15 bits. Default 15.</summary>
    public int ServerMaxWindowBits { get; set; } = 15;

    internal void Validate()
    {
        if (Threshold < 0) throw new InvalidOperationException("EngineOptions.PerMessageDeflate.Threshold must not be negative.");
        if (ServerMaxWindowBits is < 9 or > 15) throw new InvalidOperationException("EngineOptions.PerMessageDeflate.ServerMaxWindowBits must be between 9 and 15.");
    }

    internal WebSocketDeflateOptions ToDeflateOptions() => new()
    {
        ServerContextTakeover = ContextTakeover,
        ServerMaxWindowBits = ServerMaxWindowBits,
    };
}
