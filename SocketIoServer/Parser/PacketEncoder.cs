using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIoServer.Parser;

/// <summary>
/// Encodes Socket.IO packets (pure; no I/O). EVENT and ACK packets whose arguments contain binary values become
/// BINARY_EVENT / BINARY_ACK with placeholders, exactly as the Node.js <c>socket.io-parser</c> does.
/// </summary>
public static class PacketEncoder
{
    [ThreadStatic] private static Scratch? _scratch;

    private sealed class Scratch
    {
        public readonly ArrayBufferWriter<byte> Buffer = new(1024);
        public readonly List<ReadOnlyMemory<byte>> Attachments = new();
        public Utf8JsonWriter? Writer;
        public bool InUse;
    }

    public delegate void DataWriter<TState>(Utf8JsonWriter writer, TState state);

    /// <summary>Encodes a packet whose payload (if any) <paramref name="writeData"/> writes.</summary>
    public static EncodedPacket Encode<TState>(ReadOnlySpan<byte> prefix, PacketType type, string nsp, long? id,
        TState state, DataWriter<TState>? writeData)
    {
        var scratch = _scratch ??= new Scratch();
        if (scratch.InUse) scratch = new Scratch(); // re-entered from a user converter: use a private one
        scratch.InUse = true;
        try
        {
            scratch.Buffer.ResetWrittenCount();
            scratch.Attachments.Clear();
            ReadOnlySpan<byte> json = default;
            if (writeData is not null)
            {
                var writer = scratch.Writer ??= new Utf8JsonWriter(scratch.Buffer, SocketIoJson.WriterOptions);
                writer.Reset(scratch.Buffer);
                var previous = AttachmentCollector.Swap(scratch.Attachments);
                try
                {
                    writeData(writer, state);
                    writer.Flush();
                }
                finally
                {
                    AttachmentCollector.Restore(previous);
                }
                json = scratch.Buffer.WrittenSpan;
            }

            var attachmentCount = scratch.Attachments.Count;
            if (attachmentCount > 0)
            {
                if (type == PacketType.Event) type = PacketType.BinaryEvent;
                else if (type == PacketType.Ack) type = PacketType.BinaryAck;
            }

            Span<byte> header = stackalloc byte[64];
            var h = 0;
            header[h++] = (byte)('0' + (int)type);
            if (type is PacketType.BinaryEvent or PacketType.BinaryAck)
            {
                Utf8Formatter.TryFormat(attachmentCount, header[h..], out var n);
                h += n;
                header[h++] = (byte)'-';
            }

            var nspLength = nsp != "/" && nsp.Length > 0 ? Encoding.UTF8.GetByteCount(nsp) + 1 : 0;
            var idLength = 0;
            Span<byte> idBytes = stackalloc byte[24];
            if (id is { } ackId) Utf8Formatter.TryFormat(ackId, idBytes, out idLength);

            var result = new byte[prefix.Length + h + nspLength + idLength + json.Length];
            var pos = 0;
            prefix.CopyTo(result);
            pos += prefix.Length;
            header[..h].CopyTo(result.AsSpan(pos));
            pos += h;
            if (nspLength > 0)
            {
                pos += Encoding.UTF8.GetBytes(nsp, result.AsSpan(pos));
                result[pos++] = (byte)',';
            }
            idBytes[..idLength].CopyTo(result.AsSpan(pos));
            pos += idLength;
            json.CopyTo(result.AsSpan(pos));

            var attachments = attachmentCount == 0 ? Array.Empty<ReadOnlyMemory<byte>>() : scratch.Attachments.ToArray();
            return new EncodedPacket(result, attachments);
        }
        finally
        {
            scratch.InUse = false;
            scratch.Attachments.Clear();
        }
    }

    /// <summary>EVENT: <c>[eventName, ...args]</c>.</summary>
    public static EncodedPacket EncodeEvent(ReadOnlySpan<byte> prefix, string nsp, string eventName, IReadOnlyList<object?> args, long? id = null) =>
        Encode(prefix, PacketType.Event, nsp, id, (eventName, args), static (w, s) =>
        {
            w.WriteStartArray();
            w.WriteStringValue(s.eventName);
            for (var i = 0; i < s.args.Count; i++) WriteValue(w, s.args[i]);
            w.WriteEndArray();
        });

    /// <summary>ACK: <c>[...args]</c>.</summary>
    public static EncodedPacket EncodeAck(ReadOnlySpan<byte> prefix, string nsp, long id, IReadOnlyList<object?> args) =>
        Encode(prefix, PacketType.Ack, nsp, id, args, static (w, a) =>
        {
            w.WriteStartArray();
            for (var i = 0; i < a.Count; i++) WriteValue(w, a[i]);
            w.WriteEndArray();
        });

    /// <summary>CONNECT (server reply) or CONNECT_ERROR with an object payload.</summary>
    public static EncodedPacket EncodeObject(ReadOnlySpan<byte> prefix, PacketType type, string nsp, object? data) =>
        Encode(prefix, type, nsp, null, data, data is null ? null : static (w, d) => WriteValue(w, d));

    public static EncodedPacket EncodeDisconnect(ReadOnlySpan<byte> prefix, string nsp) =>
        Encode<object?>(prefix, PacketType.Disconnect, nsp, null, null, null);

    /// <summary>Writes one argument: JSON nodes and elements as they are, binary as a placeholder, anything else via System.Text.Json.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                WriteDouble(writer, d);
                break;
            case byte[] bytes:
                BinaryPlaceholder.Write(writer, bytes);
                break;
            case ReadOnlyMemory<byte> rom:
                BinaryPlaceholder.Write(writer, rom);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case JsonNode node:
                WriteNode(writer, node);
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), SocketIoJson.Options);
                break;
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double d)
    {
        // JSON.stringify writes NaN and the infinities as null
        if (double.IsFinite(d)) writer.WriteNumberValue(d);
        else writer.WriteNullValue();
    }

    /// <summary>Writes a JSON node, turning the binary values a decoded packet holds back into placeholders.</summary>
    internal static void WriteNode(Utf8JsonWriter writer, JsonNode node)
    {
        switch (node)
        {
            case JsonArray array:
                writer.WriteStartArray();
                for (var i = 0; i < array.Count; i++) // by index: foreach would box an enumerator
                {
                    var item = array[i];
                    if (item is null) writer.WriteNullValue();
                    else WriteNode(writer, item);
                }
                writer.WriteEndArray();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, item) in obj)
                {
                    writer.WritePropertyName(key);
                    if (item is null) writer.WriteNullValue();
                    else WriteNode(writer, item);
                }
                writer.WriteEndObject();
                break;
            // a byte[] value reports itself as a string (its base64 form); checking the kind first avoids boxing numbers
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.TryGetValue<byte[]>(out var bytes):
                BinaryPlaceholder.Write(writer, bytes);
                break;
            default:
                // a plain value: written as is (passing our options here would come back to this converter)
                node.WriteTo(writer);
                break;
        }
    }
}
