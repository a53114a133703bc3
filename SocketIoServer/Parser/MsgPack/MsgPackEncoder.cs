using System.Buffers;
using System.Text.Json;

namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// The buffers one packet encode needs, reused per thread. Common arguments (strings, numbers, booleans, null,
/// binary) are written straight as msgpack; anything else (objects, JSON nodes and elements, collections) is
/// written as JSON by the JSON parser's machinery, so it serializes exactly as it would for a JSON client (same
/// System.Text.Json settings, byte[] anywhere collected as binary), then rewritten as msgpack with each binary in
/// place (<see cref="JsonToMsgPack"/>, <see cref="BinaryMarker"/>).
/// </summary>
internal sealed class MsgPackEncoder
{
    [ThreadStatic] private static MsgPackEncoder? _cached;

    private readonly ArrayBufferWriter<byte> _output = new(256);
    private readonly ArrayBufferWriter<byte> _json = new(256);
    private readonly List<ReadOnlyMemory<byte>> _binaries = new();
    private readonly JsonToMsgPack.Scratch _scratch = new();
    private Utf8JsonWriter? _jsonWriter;
    private bool _inUse;

    /// <summary>The thread's encoder, or a fresh one when it is busy (a user converter that encodes a packet).</summary>
    public static MsgPackEncoder Rent()
    {
        var encoder = _cached ??= new MsgPackEncoder();
        if (encoder._inUse) encoder = new MsgPackEncoder();
        encoder._inUse = true;
        encoder._output.ResetWrittenCount();
        return encoder;
    }

    public MsgPackWriter Writer => new(_output);

    /// <summary>The packet written, as one binary message.</summary>
    public EncodedPacket ToPacket() => EncodedPacket.BinaryMessage(_output.WrittenSpan.ToArray());

    /// <summary>Gives the encoder back to its thread.</summary>
    public void Return()
    {
        _inUse = false;
        if (_output.Capacity > 64 * 1024) _cached = null; // let one huge packet's buffer go
    }

    /// <summary>
    /// Writes one value. <paramref name="undefinedKey"/>: when the value is a map without that key, the key is added
    /// with <c>undefined</c>, as Node.js's packet has it (see <see cref="MsgPackPacketParser"/>).
    /// </summary>
    public void WriteValue(object? value, ReadOnlySpan<byte> undefinedKey = default)
    {
        var writer = Writer;
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case string s: writer.WriteString(s); break;
            case bool b: writer.WriteBoolean(b); break;
            case int i: writer.WriteInteger(i); break;
            case long l: writer.WriteInteger(l); break;
            case double d: writer.WriteNumber(d); break;
            case byte[] bytes: writer.WriteBinary(bytes); break;
            case ReadOnlyMemory<byte> memory: writer.WriteBinary(memory.Span); break;
            default: WriteThroughJson(value, undefinedKey); break;
        }
    }

    private void WriteThroughJson(object value, ReadOnlySpan<byte> undefinedKey)
    {
        _json.ResetWrittenCount();
        var jsonWriter = _jsonWriter ??= new Utf8JsonWriter(_json, SocketIoJson.WriterOptions);
        jsonWriter.Reset(_json);
        var previous = AttachmentCollector.Swap(_binaries, BinaryMarker.Utf8);
        try
        {
            PacketEncoder.WriteValue(jsonWriter, value);
            jsonWriter.Flush();
            JsonToMsgPack.Transcode(_json.WrittenSpan, _binaries, BinaryMarker.Utf8, _scratch, Writer, undefinedKey);
        }
        finally
        {
            AttachmentCollector.Restore(previous);
            _binaries.Clear(); // holds the caller's buffers otherwise
            if (_json.Capacity > 64 * 1024) _cached = null;
        }
    }
}
