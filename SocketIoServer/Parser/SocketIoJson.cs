using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SocketIoServer.Parser;

/// <summary>
/// The JSON settings for packet payloads: output escaped exactly as JavaScript's <c>JSON.stringify</c> (raw
/// Unicode, only quotes, backslashes and control characters escaped), and binary values written as placeholders.
/// </summary>
public static class SocketIoJson
{
    /// <summary>Deep enough for any real payload, shallow enough that a hostile one cannot exhaust the stack.</summary>
    public const int MaxDepth = 1000;

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptStringifyEncoder.Instance,
        MaxDepth = MaxDepth,
        SkipValidation = true,
    };

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptStringifyEncoder.Instance,
            MaxDepth = MaxDepth,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new BinaryPlaceholderConverter());
        options.Converters.Add(new ReadOnlyMemoryPlaceholderConverter());
        options.Converters.Add(new MemoryPlaceholderConverter());
        options.Converters.Add(new ArraySegmentPlaceholderConverter());
        options.Converters.Add(new JsonNodePlaceholderConverter<JsonNode>());
        options.Converters.Add(new JsonNodePlaceholderConverter<JsonArray>());
        options.Converters.Add(new JsonNodePlaceholderConverter<JsonObject>());
        options.Converters.Add(new JsonNodePlaceholderConverter<JsonValue>());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
