using BenchmarkDotNet.Attributes;
using SocketIoServer.Parser;
using SocketIoServer.Parser.MsgPack;

namespace SocketIoServer.Bench.Micro;

/// <summary>
/// The msgpack parser, on the payloads of the JSON parser's benchmarks (SocketIoEncodeBenchmarks,
/// SocketIoDecodeBenchmarks): encoding as Socket.Emit and BroadcastPacket call it, decoding one message as
/// Client.OnBinary receives it.
/// </summary>
[MemoryDiagnoser]
public class MsgPackBenchmarks
{
    private static readonly MsgPackPacketParser Parser = MsgPackPacketParser.Instance;
    private readonly IPacketDecoder _decoder = Parser.CreateDecoder(10);
    private readonly object?[] _simple = ["hello world", 42, true];
    private readonly object?[] _chat = [Payloads.Chat];
    private readonly object?[] _chat1K = [Payloads.Chat1K];
    private readonly object?[] _chatNode = [Payloads.ChatNode()];
    private readonly object?[] _binary1 = ["avatar.png", Payloads.Binary(1024, 1)];
    private byte[] _event = null!;
    private byte[] _event1K = null!;
    private byte[] _binaryEvent = null!;

    [GlobalSetup]
    public void Setup()
    {
        _event = Parser.EncodeEvent("/", "chat", _chat).Text.ToArray();
        _event1K = Parser.EncodeEvent("/", "chat", _chat1K).Text.ToArray();
        _binaryEvent = Parser.EncodeEvent("/", "upload", _binary1).Text.ToArray();
    }

    [Benchmark(Description = "msgpack EncodeEvent simple args (string, int, bool)")]
    public EncodedPacket EventSimple() => Parser.EncodeEvent("/", "chat", _simple);

    [Benchmark(Description = "msgpack EncodeEvent chat object (POCO)")]
    public EncodedPacket EventChat() => Parser.EncodeEvent("/", "chat", _chat);

    [Benchmark(Description = "msgpack EncodeEvent chat object, 1 KB")]
    public EncodedPacket EventChat1K() => Parser.EncodeEvent("/", "chat", _chat1K);

    [Benchmark(Description = "msgpack EncodeEvent chat JsonNode")]
    public EncodedPacket EventChatNode() => Parser.EncodeEvent("/", "chat", _chatNode);

    [Benchmark(Description = "msgpack EncodeEvent 1 KB binary")]
    public EncodedPacket EventBinary1() => Parser.EncodeEvent("/", "upload", _binary1);

    [Benchmark(Description = "msgpack DecodeBinary event (chat)")]
    public SocketIoPacket? DecodeEvent() => _decoder.DecodeBinary(_event);

    [Benchmark(Description = "msgpack DecodeBinary event (chat, 1 KB)")]
    public SocketIoPacket? DecodeEvent1K() => _decoder.DecodeBinary(_event1K);

    [Benchmark(Description = "msgpack DecodeBinary event with 1 KB binary")]
    public SocketIoPacket? DecodeBinaryEvent() => _decoder.DecodeBinary(_binaryEvent);
}
