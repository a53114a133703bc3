using BenchmarkDotNet.Attributes;
using SocketIoServer.Engine;

namespace SocketIoServer.Bench.Micro;

/// <summary>
/// Engine.IO v4 polling payloads: the GET response (PayloadLength + WritePayload, what PollingTransport.WritePayloadAsync
/// does with its pooled buffer) and the POST body split (DecodePayload), for 1 frame and for 10 frames of which one is
/// binary (base64 inside the payload); and the parse of one text frame (a WebSocket text message).
/// </summary>
[MemoryDiagnoser]
public class EngineCodecBenchmarks
{
    private OutboundFrame[] _oneFrame = null!;
    private OutboundFrame[] _tenFrames = null!;
    private byte[] _buffer = null!;
#if SOCKETIO_INTERNALS
    private byte[] _onePayload = null!;
    private byte[] _tenPayload = null!;
    private byte[] _textFrame = null!;
    private readonly Sink _sink = new();
#endif

    [GlobalSetup]
    public void Setup()
    {
        var chat = Payloads.EventFrame(Payloads.Chat);
        _oneFrame = [chat];
        _tenFrames =
        [
            chat, chat, Payloads.EventFrame(Payloads.ChatUnicode), chat, Payloads.EventFrame(Payloads.Chat1K),
            chat, OutboundFrame.Binary(Payloads.Binary(1024, 1)), chat, chat, Payloads.EventFrame(Payloads.ChatUnicode),
        ];
        _buffer = new byte[EnginePacketCodec.PayloadLength(_tenFrames)];
#if SOCKETIO_INTERNALS
        _onePayload = Write(_oneFrame);
        _tenPayload = Write(_tenFrames);
        _textFrame = chat.Data.ToArray();
#endif
    }

    private static byte[] Write(OutboundFrame[] frames)
    {
        var buffer = new byte[EnginePacketCodec.PayloadLength(frames)];
        return buffer.AsSpan(0, EnginePacketCodec.WritePayload(frames, buffer)).ToArray();
    }

    [Benchmark(Description = "WritePayload 1 text frame")]
    public int WritePayload1() =>
        EnginePacketCodec.PayloadLength(_oneFrame) + EnginePacketCodec.WritePayload(_oneFrame, _buffer);

    [Benchmark(Description = "WritePayload 10 frames (9 text, 1 binary 1 KB)")]
    public int WritePayload10() =>
        EnginePacketCodec.PayloadLength(_tenFrames) + EnginePacketCodec.WritePayload(_tenFrames, _buffer);

#if SOCKETIO_INTERNALS
    private sealed class Sink
    {
        public int Packets;
        public int Bytes;
    }

    private static readonly EnginePacketCodec.PacketCallback<Sink> OnPacket = static (sink, packet) =>
    {
        sink.Packets++;
        sink.Bytes += packet.Data.Length;
        return true;
    };

    [Benchmark(Description = "DecodePayload 1 text frame")]
    public bool DecodePayload1() => EnginePacketCodec.DecodePayload(_onePayload, _sink, OnPacket);

    [Benchmark(Description = "DecodePayload 10 frames (9 text, 1 binary 1 KB)")]
    public bool DecodePayload10() => EnginePacketCodec.DecodePayload(_tenPayload, _sink, OnPacket);

    [Benchmark(Description = "TryParseText chat frame")]
    public int TryParseText() =>
        EnginePacketCodec.TryParseText(_textFrame, out var type, out var data) ? (int)type + data.Length : -1;
#endif
}
