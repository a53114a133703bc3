using BenchmarkDotNet.Attributes;
using SocketIoServer.Parser;

namespace SocketIoServer.Bench.Micro;

/// <summary>
/// Socket.IO packet decoding (PacketDecoder, one per connection as Client keeps it): the text of an Engine.IO message
/// without its "4" prefix, as Client.OnText receives it.
/// </summary>
[MemoryDiagnoser]
public class SocketIoDecodeBenchmarks
{
    private readonly PacketDecoder _decoder = new();
    private byte[] _event = null!;
    private byte[] _eventUnicode = null!;
    private byte[] _event1K = null!;
    private byte[] _ack = null!;
    private byte[] _binaryEvent = null!;
    private byte[] _attachment = null!;

    [GlobalSetup]
    public void Setup()
    {
        _event = Payloads.EventText(Payloads.Chat);
        _eventUnicode = Payloads.EventText(Payloads.ChatUnicode);
        _event1K = Payloads.EventText(Payloads.Chat1K);
        _ack = PacketEncoder.EncodeAck(default, "/", 12, ["ok", Payloads.Chat]).Text.ToArray();
        _attachment = Payloads.Binary(1024, 1);
        var binary = PacketEncoder.EncodeEvent(default, "/", "upload", ["avatar.png", _attachment]);
        _binaryEvent = binary.Text.ToArray(); // 51-["upload","avatar.png",{"_placeholder":true,"num":0}]
    }

    [Benchmark(Description = "DecodeText event (chat)")]
    public SocketIoPacket? Event() => _decoder.DecodeText(_event);

    [Benchmark(Description = "DecodeText event (chat, unicode)")]
    public SocketIoPacket? EventUnicode() => _decoder.DecodeText(_eventUnicode);

    [Benchmark(Description = "DecodeText event (chat, 1 KB)")]
    public SocketIoPacket? Event1K() => _decoder.DecodeText(_event1K);

    [Benchmark(Description = "DecodeText ack id 12 (\"ok\", chat)")]
    public SocketIoPacket? Ack() => _decoder.DecodeText(_ack);

    [Benchmark(Description = "DecodeText binary event + DecodeBinary 1 KB")]
    public SocketIoPacket? BinaryEvent()
    {
        _decoder.DecodeText(_binaryEvent);
        return _decoder.DecodeBinary(_attachment);
    }
}
