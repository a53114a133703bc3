using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocketIoServer.Parser;

/// <summary>
/// Writes a binary value as <c>{"_placeholder":true,"num":N}</c> (or the msgpack encoder's marker object, see
/// <see cref="AttachmentCollector.Marker"/>) and records it as attachment N. Outside a packet
/// encode (no collector) it falls back to base64, as System.Text.Json does by default.
/// </summary>
internal static class BinaryPlaceholder
{
    public static void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value)
    {
        var collector = AttachmentCollector.Current;
        if (collector is null)
        {
            writer.WriteBase64StringValue(value.Span);
            return;
        }
        writer.WriteStartObject();
        if (AttachmentCollector.Marker is { } marker)
        {
            writer.WriteNumber(marker, collector.Count);
        }
        else
        {
            writer.WriteBoolean("_placeholder"u8, true);
            writer.WriteNumber("num"u8, collector.Count);
        }
        writer.WriteEndObject();
        collector.Add(value);
    }

    public static byte[] Read(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetBytesFromBase64()
            : throw new JsonException("A binary value must be read from a decoded packet, not from a placeholder.");
}

internal sealed class BinaryPlaceholderConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => BinaryPlaceholder.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => BinaryPlaceholder.Write(writer, value);
}

internal sealed class ReadOnlyMemoryPlaceholderConverter : JsonConverter<ReadOnlyMemory<byte>>
{
    public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => BinaryPlaceholder.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) => BinaryPlaceholder.Write(writer, value);
}

internal sealed class MemoryPlaceholderConverter : JsonConverter<Memory<byte>>
{
    public override Memory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => BinaryPlaceholder.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, Memory<byte> value, JsonSerializerOptions options) => BinaryPlaceholder.Write(writer, value);
}

internal sealed class ArraySegmentPlaceholderConverter : JsonConverter<ArraySegment<byte>>
{
    public override ArraySegment<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => BinaryPlaceholder.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, ArraySegment<byte> value, JsonSerializerOptions options) => BinaryPlaceholder.Write(writer, value);
}
