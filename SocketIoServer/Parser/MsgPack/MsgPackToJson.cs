using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// Turns a checked msgpack payload into the <see cref="JsonNode"/> the JSON parser would have produced for the same
/// JavaScript value: the payload is rewritten as JSON (binary values as <see cref="BinaryMarker"/> objects) and
/// parsed by <see cref="JsonNode.Parse(ReadOnlySpan{byte}, JsonNodeOptions?, JsonDocumentOptions)"/>, then each
/// marker is replaced by a <see cref="JsonValue"/> holding its <c>byte[]</c>, as the JSON parser puts attachments
/// back. So a decoded payload is the same kind of tree whichever parser a server uses (numbers and strings answer
/// <c>GetValue&lt;T&gt;()</c> alike, nodes are built as they are read), at the JSON parser's cost.
/// </summary>
/// <remarks>
/// What JSON cannot hold becomes what <c>JSON.stringify</c> makes of the JavaScript value notepack decodes, i.e. what
/// a JSON client would have sent: <c>undefined</c> drops its key (null in an array), a Date becomes its ISO string,
/// NaN and ±Infinity null. A <c>__proto__</c> key is dropped: assigning it to the object notepack builds sets the
/// prototype instead. Notepack's ArrayBuffer (extension type 0) is binary; any other extension is the array
/// <c>[type, binary]</c>, as notepack returns it. Duplicate keys are refused as the JSON parser refuses them (a
/// JsonObject cannot hold them; notepack never writes them).
/// </remarks>
internal static class MsgPackToJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptStringifyEncoder.Instance, // escapes the least, so the text stays short
        MaxDepth = SocketIoJson.MaxDepth + 1, // a marker object is one level below its binary's place
        SkipValidation = true,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = SocketIoJson.MaxDepth + 1,
        AllowDuplicateProperties = false,
    };

    private sealed class Scratch
    {
        public readonly ArrayBufferWriter<byte> Json = new(256);
        public readonly List<byte[]> Binaries = new();
        public Utf8JsonWriter? Writer;
    }

    // decoding runs no user code, so one scratch per thread is never re-entered
    [ThreadStatic] private static Scratch? _scratch;

    /// <summary>The payload whose header starts at <paramref name="at"/>; <paramref name="binaries"/>: how many binary values it holds.</summary>
    public static JsonNode? Decode(ReadOnlySpan<byte> message, int at, out int binaries)
    {
        var scratch = _scratch ??= new Scratch();
        scratch.Json.ResetWrittenCount();
        scratch.Binaries.Clear();
        var writer = scratch.Writer ??= new Utf8JsonWriter(scratch.Json, WriterOptions);
        writer.Reset(scratch.Json);
        try
        {
            var reader = new MsgPackReader(message) { Position = at };
            reader.Read();
            Write(ref reader, writer, scratch.Binaries);
            writer.Flush();

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(scratch.Json.WrittenSpan, documentOptions: DocumentOptions);
            }
            catch (JsonException ex)
            {
                throw new PacketParseException("invalid payload", ex); // a duplicate key: all else was checked
            }
            binaries = scratch.Binaries.Count;
            return binaries == 0 || node is null ? node : PutBinariesBack(node, scratch.Binaries);
        }
        finally
        {
            scratch.Binaries.Clear();
            if (scratch.Json.Capacity > 64 * 1024) _scratch = null; // let one huge message's buffer go
        }
    }

    /// <summary>Writes the value whose header the reader just read.</summary>
    private static void Write(ref MsgPackReader reader, Utf8JsonWriter writer, List<byte[]> binaries)
    {
        switch (reader.Token)
        {
            case MsgPackToken.Boolean:
                writer.WriteBooleanValue(reader.Boolean);
                break;
            case MsgPackToken.Integer:
                writer.WriteNumberValue(reader.Int64);
                break;
            case MsgPackToken.BigUnsigned:
                writer.WriteNumberValue(reader.UInt64);
                break;
            case MsgPackToken.Float:
                var number = reader.Double;
                // whole numbers as integers, as JavaScript prints them (GetValue<int>() must work on a float64 3.0)
                if (Math.Floor(number) == number && Math.Abs(number) < 9.2e18) writer.WriteNumberValue((long)number);
                else if (double.IsFinite(number)) writer.WriteNumberValue(number);
                else writer.WriteNullValue();
                break;
            case MsgPackToken.String:
                WriteString(reader.Bytes, writer, propertyName: false);
                break;
            case MsgPackToken.Binary:
                WriteBinary(reader.Bytes, writer, binaries);
                break;
            case MsgPackToken.Date:
                if (JsDate.ToJson(reader.Double) is { } iso) writer.WriteStringValue(iso);
                else writer.WriteNullValue();
                break;
            case MsgPackToken.Ext:
                writer.WriteStartArray();
                writer.WriteNumberValue(reader.ExtType);
                WriteBinary(reader.Bytes, writer, binaries);
                writer.WriteEndArray();
                break;
            case MsgPackToken.Array:
                writer.WriteStartArray();
                for (var i = reader.Count; i > 0; i--)
                {
                    reader.Read();
                    Write(ref reader, writer, binaries); // undefined in an array: null, as JSON.stringify
                }
                writer.WriteEndArray();
                break;
            case MsgPackToken.Map:
                writer.WriteStartObject();
                for (var i = reader.Count; i > 0; i--)
                {
                    reader.Read();
                    var key = reader.Bytes;
                    reader.Read();
                    if (reader.Token == MsgPackToken.Undefined || key.SequenceEqual("__proto__"u8))
                    {
                        Skip(ref reader);
                        continue;
                    }
                    WriteString(key, writer, propertyName: true);
                    Write(ref reader, writer, binaries);
                }
                writer.WriteEndObject();
                break;
            default: // Nil, Undefined
                writer.WriteNullValue();
                break;
        }
    }

    private static void Skip(ref MsgPackReader reader)
    {
        var count = reader.Token switch
        {
            MsgPackToken.Array => reader.Count,
            MsgPackToken.Map => reader.Count * 2,
            _ => 0,
        };
        for (var i = 0; i < count; i++)
        {
            reader.Read();
            Skip(ref reader);
        }
    }

    private static void WriteString(ReadOnlySpan<byte> utf8, Utf8JsonWriter writer, bool propertyName)
    {
        if (Utf8.IsValid(utf8))
        {
            if (propertyName) writer.WritePropertyName(utf8);
            else writer.WriteStringValue(utf8);
            return;
        }
        // invalid UTF-8 becomes U+FFFD, as in Node's buffer.toString("utf8")
        var text = Encoding.UTF8.GetString(utf8);
        if (propertyName) writer.WritePropertyName(text);
        else writer.WriteStringValue(text);
    }

    private static void WriteBinary(ReadOnlySpan<byte> bytes, Utf8JsonWriter writer, List<byte[]> binaries)
    {
        writer.WriteStartObject();
        writer.WriteNumber(BinaryMarker.Utf8, binaries.Count);
        writer.WriteEndObject();
        binaries.Add(bytes.ToArray());
    }

    /// <summary>Replaces each marker object by its binary value (in place; a marker at the root is returned replaced).</summary>
    private static JsonNode PutBinariesBack(JsonNode node, List<byte[]> binaries)
    {
        if (IsMarker(node, binaries, out var root)) return root;
        switch (node)
        {
            case JsonObject obj:
                List<(string Key, JsonValue Value)>? found = null;
                foreach (var (key, child) in obj)
                {
                    if (child is null) continue;
                    if (IsMarker(child, binaries, out var value)) (found ??= []).Add((key, value));
                    else PutBinariesBack(child, binaries);
                }
                // (set afterwards: an object cannot change while it is enumerated)
                foreach (var (key, value) in found ?? []) obj[key] = value;
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is not { } child) continue;
                    if (IsMarker(child, binaries, out var value)) array[i] = value;
                    else PutBinariesBack(child, binaries);
                }
                break;
        }
        return node;
    }

    private static bool IsMarker(JsonNode node, List<byte[]> binaries, out JsonValue value)
    {
        value = null!;
        if (node is not JsonObject { Count: 1 } obj || !obj.TryGetPropertyValue(BinaryMarker.Name, out var index)) return false;
        value = JsonValue.Create(binaries[index!.GetValue<int>()])!;
        return true;
    }
}
