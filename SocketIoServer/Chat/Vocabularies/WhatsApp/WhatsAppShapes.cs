using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Chat.Vocabularies.Famly;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>The objects seed 003's events and endpoints carry.</summary>
public static class WhatsAppShapes
{
    /// <summary>A message: the one shape of <c>message:new</c> shared with seed 002 (CONTRACTS.md section 6).</summary>
    public static JsonObject Message(ChatMessage message) => FamlyShapes.Message(message);

    /// <summary>A notification, as seed 003's Mongoose model would serialize it.</summary>
    public static JsonObject Notification(Notification n)
    {
        JsonNode? data = null;
        if (n.DataJson is not null)
        {
            try
            {
                data = JsonNode.Parse(n.DataJson);
            }
            catch (JsonException)
            {
                data = n.DataJson;
            }
        }
        return new JsonObject
        {
            ["_id"] = n.Id,
            ["recipient"] = n.UserId,
            ["type"] = n.Type,
            ["title"] = n.Title,
            ["message"] = n.Message,
            ["data"] = data ?? new JsonObject(),
            ["priority"] = n.Priority,
            ["actionUrl"] = n.ActionUrl,
            ["read"] = n.IsRead,
            ["readAt"] = n.ReadAt is { } r ? JsTime.Iso(r) : null,
            ["createdAt"] = JsTime.Iso(n.CreatedAt),
        };
    }
}
