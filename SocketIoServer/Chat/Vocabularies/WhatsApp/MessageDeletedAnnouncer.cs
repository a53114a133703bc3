using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>
/// Seed 003's <c>message:deleted {messageId, conversationId, deletedBy}</c> to the conversation, on <c>/</c> and
/// <c>/messages</c>: what <c>DELETE /v1/messages/{id}</c> announces (CONTRACTS.md section 5). The rest of seed 003's
/// vocabulary registers its own handlers; this part has none.
/// </summary>
public sealed class MessageDeletedAnnouncer(ChatService chat) : IChatVocabulary
{
    public IReadOnlyCollection<string> Namespaces { get; } = ["/", "/messages"];

    public void Attach(ChatConnection connection)
    {
        // announces only; receives nothing
    }

    public async Task PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        if (chatEvent is not MessageDeleted deleted) return;
        foreach (var name in Namespaces)
        {
            if (!chat.Io.Namespaces.TryGetValue(name, out var nsp)) continue;
            await nsp.To(ChatRooms.Conversation(deleted.Message.ConversationId)).EmitAsync("message:deleted", new JsonObject
            {
                ["messageId"] = deleted.Message.Id,
                ["conversationId"] = deleted.Message.ConversationId,
                ["deletedBy"] = deleted.Message.SenderId,
            });
        }
    }
}
