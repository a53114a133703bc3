using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using SocketIoServer.Parser;

namespace SocketIoServer.Bench.Micro;

/// <summary>
/// Socket.IO packet encoding (PacketEncoder), with the Engine.IO "4" prefix as Socket.Emit and BroadcastPacket use
/// it. Argument arrays are built once, so caller-side costs (params array, boxing) are not counted.
/// </summary>
[MemoryDiagnoser]
public class SocketIoEncodeBenchmarks
{
    private readonly object?[] _simple = ["hello world", 42, true];
    private readonly object?[] _chat = [Payloads.Chat];
    private readonly object?[] _chatUnicode = [Payloads.ChatUnicode];
    private readonly object?[] _chat1K = [Payloads.Chat1K];
    private readonly object?[] _chatNode = [Payloads.ChatNode()];
    private readonly object?[] _binary1 = ["avatar.png", Payloads.Binary(1024, 1)];
    private readonly object?[] _binary3 = [Payloads.Binary(1024, 1), Payloads.Binary(1024, 2), Payloads.Binary(1024, 3)];
    private readonly object?[] _ackArgs = ["ok", Payloads.Chat];

    [Benchmark(Description = "EncodeEvent simple args (string, int, bool)")]
    public EncodedPacket EventSimple() => PacketEncoder.EncodeEvent("4"u8, "/", "chat", _simple);

    [Benchmark(Description = "EncodeEvent chat object (POCO)")]
    public EncodedPacket EventChat() => PacketEncoder.EncodeEvent("4"u8, "/", "chat", _chat);

    [Benchmark(Description = "EncodeEvent chat object, unicode text")]
    public EncodedPacket EventChatUnicode() => PacketEncoder.EncodeEvent("4"u8, "/", "chat", _chatUnicode);

    [Benchmark(Description = "EncodeEvent chat object, 1 KB")]
    public EncodedPacket EventChat1K() => PacketEncoder.EncodeEvent("4"u8, "/", "chat", _chat1K);

    [Benchmark(Description = "EncodeEvent chat JsonNode")]
    public EncodedPacket EventChatNode() => PacketEncoder.EncodeEvent("4"u8, "/", "chat", _chatNode);

    [Benchmark(Description = "EncodeEvent 1 binary attachment (1 KB)")]
    public EncodedPacket EventBinary1() => PacketEncoder.EncodeEvent("4"u8, "/", "upload", _binary1);

    [Benchmark(Description = "EncodeEvent 3 binary attachments (1 KB each)")]
    public EncodedPacket EventBinary3() => PacketEncoder.EncodeEvent("4"u8, "/", "upload", _binary3);

    [Benchmark(Description = "EncodeAck id 12 (\"ok\", chat)")]
    public EncodedPacket Ack() => PacketEncoder.EncodeAck("4"u8, "/", 12, _ackArgs);
}
