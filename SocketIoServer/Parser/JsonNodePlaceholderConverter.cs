using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SocketIoServer.Parser;

/// <summary>
/// Writes JSON nodes met inside serialized objects (for example a received argument put in an anonymous object)
/// so that the binary values a decoded packet holds become placeholders again instead of base64 strings.
/// </summary>
internal sealed class JsonNodePlaceholderConverter<TNode> : JsonConverter<TNode> where TNode : JsonNode
{
    public override bool HandleNull => false;

    public override TNode? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (TNode?)JsonNode.Parse(ref reader, new JsonNodeOptions { PropertyNameCaseInsensitive = false });

    public override void Write(Utf8JsonWriter writer, TNode value, JsonSerializerOptions options) =>
        PacketEncoder.WriteValue(writer, value);
}
