using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Chat.Vocabularies.DeedO;

/// <summary>The objects seed 004 sends, field for field and in its order.</summary>
public static class DeedOShapes
{
    /// <summary>Most attachments one message may carry.</summary>
    public const int MaxAttachments = 20;

    /// <summary><c>newMessage</c>: id, senderId, groupId, text, attachments, timestamp, readBy.</summary>
    public static JsonObject Message(ChatMessage message, JsonArray attachments, IEnumerable<string> readBy) => new()
    {
        ["id"] = message.Id,
        ["senderId"] = message.SenderId,
        ["groupId"] = message.ConversationId,
        ["text"] = message.Body,
        ["attachments"] = attachments,
        ["timestamp"] = JsTime.Iso(message.CreatedAt),
        ["readBy"] = new JsonArray([.. readBy.Select(id => (JsonNode)id)]),
    };

    /// <summary><c>error</c>: <c>{message}</c>, as the seed's gateway sends it.</summary>
    public static JsonObject Error(string message) => new() { ["message"] = message };

    /// <summary>
    /// Seed 004's <c>attachments: {url, type}[]</c>: absent or null is none; anything else must be an array of objects
    /// whose <c>url</c> and <c>type</c> are strings (other fields are dropped). Null with <paramref name="error"/> set
    /// when it is not.
    /// </summary>
    public static JsonArray? Attachments(JsonNode? node, out string? error)
    {
        error = null;
        if (node is null) return [];
        if (node is not JsonArray array || array.Count > MaxAttachments)
        {
            error = $"attachments must be an array of at most {MaxAttachments} {{url, type}} objects";
            return null;
        }
        var result = new JsonArray();
        foreach (var item in array)
        {
            if (item is not JsonObject attachment || !IsString(attachment["url"]) || !IsString(attachment["type"]))
            {
                error = "each attachment must be an object with string url and type";
                return null;
            }
            result.Add(new JsonObject { ["url"] = attachment["url"]!.GetValue<string>(), ["type"] = attachment["type"]!.GetValue<string>() });
        }
        return result;
    }

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String;
}
