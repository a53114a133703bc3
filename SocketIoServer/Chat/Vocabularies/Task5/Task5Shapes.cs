using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Chat.Vocabularies.Task5;

/// <summary>The objects seed 001 broadcasts and acknowledges, field for field.</summary>
public static class Task5Shapes
{
    /// <summary>
    /// The <c>user</c> of <c>user-joined</c> and of a message: <c>{id, username, avatarUrl}</c>. The chat server keeps
    /// no avatars (users come from token claims), so <c>avatarUrl</c> is null, as for a user who never set one.
    /// </summary>
    public static JsonObject User(string id, string username) => new()
    {
        ["id"] = id,
        ["username"] = username,
        ["avatarUrl"] = null,
    };

    /// <summary>
    /// <c>new-message</c> and the <c>send-message</c> ack: the stored message (<c>id</c>, <c>roomId</c>, <c>userId</c>,
    /// <c>content</c>, <c>messageType</c>, <c>createdAt</c>) with its sender as <c>user</c> (CONTRACTS.md section 8).
    /// </summary>
    public static JsonObject Message(ChatMessage message, ChatUser sender, string messageType) => new()
    {
        ["id"] = message.Id,
        ["roomId"] = message.ConversationId,
        ["userId"] = message.SenderId,
        ["content"] = message.Body,
        ["messageType"] = messageType,
        ["createdAt"] = JsTime.Iso(message.CreatedAt),
        ["user"] = User(sender.Id, sender.DisplayName),
    };

    /// <summary>The <c>join-room</c> ack's room "with members".</summary>
    public static JsonObject Room(Conversation conversation, IReadOnlyList<ChatUser> knownMembers)
    {
        var names = knownMembers.ToDictionary(u => u.Id, u => u.DisplayName, StringComparer.Ordinal);
        return new JsonObject
        {
            ["id"] = conversation.Id,
            ["name"] = conversation.Title,
            ["type"] = conversation.Kind.ToStorage(),
            ["createdBy"] = conversation.CreatedBy,
            ["createdAt"] = JsTime.Iso(conversation.CreatedAt),
            ["updatedAt"] = JsTime.Iso(conversation.UpdatedAt),
            // a member who never connected is not a stored user yet: the id stands in for the name
            ["members"] = new JsonArray([.. conversation.MemberIds.Select(id => (JsonNode)User(id, names.GetValueOrDefault(id, id)))]),
        };
    }

    /// <summary>One read receipt of the <c>mark-read</c> ack.</summary>
    public static JsonObject Receipt(ReadMark mark) => new()
    {
        ["messageId"] = mark.MessageId,
        ["roomId"] = mark.ConversationId,
        ["userId"] = mark.UserId,
        ["readAt"] = JsTime.Iso(mark.ReadAt),
    };
}
