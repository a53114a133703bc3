using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Chat.Vocabularies.Famly;

/// <summary>The objects seed 002 broadcasts and returns, field for field and in its order.</summary>
public static class FamlyShapes
{
    /// <summary>
    /// <c>message:new</c>: chatId, _id, body, senderId, createdAt, and clientId when the sender gave one; then seed
    /// 003's names for the same message, conversationId and content (CONTRACTS.md section 6: one emission carries
    /// the fields of both shapes).
    /// </summary>
    public static JsonObject Message(ChatMessage message)
    {
        var json = new JsonObject
        {
            ["chatId"] = message.ConversationId,
            ["_id"] = message.Id,
            ["body"] = message.Body,
            ["senderId"] = message.SenderId,
            ["createdAt"] = JsTime.Iso(message.CreatedAt),
        };
        if (message.ClientId is not null) json["clientId"] = message.ClientId;
        json["conversationId"] = message.ConversationId;
        json["content"] = message.Body;
        return json;
    }

    /// <summary>The <c>chat</c> object of <c>chat:update</c> and of the HTTP API.</summary>
    public static JsonObject Chat(Conversation conversation) => new()
    {
        ["_id"] = conversation.Id,
        ["type"] = conversation.Kind.ToStorage(),
        ["title"] = conversation.Title,
        ["memberIds"] = new JsonArray([.. conversation.MemberIds.Select(id => (JsonNode)id)]),
        ["createdBy"] = conversation.CreatedBy,
        ["createdAt"] = JsTime.Iso(conversation.CreatedAt),
        ["updatedAt"] = JsTime.Iso(conversation.UpdatedAt),
    };
}
