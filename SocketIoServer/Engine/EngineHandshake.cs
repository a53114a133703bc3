using System.Buffers;
using System.Text.Json;

namespace SocketIoServer.Engine;

internal static class EngineHandshake
{
    /// <summary>The <c>open</c> packet, with its keys in Node.js's order.</summary>
    public static OutboundFrame BuildOpenPacket(EngineConnection connection, EngineOptions options)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(160);
        buffer.Write("0"u8);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("sid", connection.Id);
            w.WriteStartArray("upgrades");
            if (connection.TransportName == TransportNames.Polling && options.AllowUpgrades
                && options.Transports.Contains(TransportNames.WebSocket))
                w.WriteStringValue(TransportNames.WebSocket);
            w.WriteEndArray();
            w.WriteNumber("pingInterval", (long)options.PingInterval.TotalMilliseconds);
            w.WriteNumber("pingTimeout", (long)options.PingTimeout.TotalMilliseconds);
            w.WriteNumber("maxPayload", options.MaxHttpBufferSize);
            w.WriteEndObject();
        }
        return OutboundFrame.Text(buffer.WrittenMemory);
    }

    /// <summary>A session id: 15 random bytes in URL-safe base64, like Node.js's base64id (20 characters).</summary>
    public static string NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[15];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }
}
