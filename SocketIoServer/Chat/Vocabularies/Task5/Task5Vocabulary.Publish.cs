using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Vocabularies.Task5;

public sealed partial class Task5Vocabulary
{
    /// <summary>
    /// The message this vocabulary is storing right now, seen by <see cref="PublishAsync"/> while
    /// <see cref="ChatService.SendMessageAsync"/> announces it (it publishes before it returns, in the same async flow):
    /// the seed leaves the sending socket out of <c>new-message</c> (it has the message in its ack) and carries the
    /// <c>messageType</c> it was sent with. Messages from other vocabularies have neither.
    /// </summary>
    private static readonly AsyncLocal<OutgoingMessage?> Sending = new();

    private sealed record OutgoingMessage(string SocketId, string MessageType);

    public async Task PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        switch (chatEvent)
        {
            case MessageCreated created:
            {
                var sending = Sending.Value;
                var room = Main.To(ChatRooms.Conversation(created.Message.ConversationId));
                if (sending is not null) room = room.Except(sending.SocketId);
                await room.EmitAsync("new-message", Task5Shapes.Message(created.Message, created.Sender, sending?.MessageType ?? "text"));
                break;
            }
            case TypingChanged typing:
            {
                var room = Main.To(ChatRooms.Conversation(typing.ConversationId)).Except(typing.OriginSocketId);
                if (typing.IsTyping)
                {
                    await room.EmitAsync("user-typing", new JsonObject
                    {
                        ["roomId"] = typing.ConversationId,
                        ["userId"] = typing.User.Id,
                        ["username"] = typing.User.DisplayName,
                    });
                }
                else
                {
                    await room.EmitAsync("user-stopped-typing", new JsonObject { ["roomId"] = typing.ConversationId, ["userId"] = typing.User.Id });
                }
                break;
            }
            case ReadMarksAdded read:
            {
                var room = Main.To(ChatRooms.Conversation(read.ConversationId));
                if (read.OriginSocketId is not null) room = room.Except(read.OriginSocketId);
                await room.EmitAsync("messages-read", new JsonObject
                {
                    ["userId"] = read.UserId,
                    ["messageIds"] = new JsonArray([.. read.Marks.Select(m => (JsonNode)m.MessageId)]),
                });
                break;
            }
            case PresenceChanged presence:
                await AnnouncePresenceAsync(presence, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// <c>user-online {userId, username}</c> / <c>user-offline {userId}</c> to every room of the user, the user's own
    /// sockets left out — once per transition (first socket in, last socket out), as the core's presence reports it.
    /// </summary>
    private async Task AnnouncePresenceAsync(PresenceChanged presence, CancellationToken cancellationToken)
    {
        var conversations = await chat.Store.ListConversationsAsync(presence.UserId, cancellationToken);
        if (conversations.Count == 0) return;
        var rooms = Main.To([.. conversations.Select(c => ChatRooms.Conversation(c.Id))]).Except(ChatRooms.User(presence.UserId));
        if (!presence.Online)
        {
            await rooms.EmitAsync("user-offline", new JsonObject { ["userId"] = presence.UserId });
            return;
        }
        var user = (await chat.Store.GetUsersAsync([presence.UserId], cancellationToken)).FirstOrDefault();
        await rooms.EmitAsync("user-online", new JsonObject { ["userId"] = presence.UserId, ["username"] = user?.DisplayName ?? presence.UserId });
    }
}
