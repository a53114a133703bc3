namespace SocketIoServer.Chat.Core;

/// <summary>
/// The internal Socket.IO room names (clients never see them, CONTRACTS.md section 6): one per user, holding every
/// socket of that user, and one per conversation, holding the sockets of its members.
/// </summary>
public static class ChatRooms
{
    public static string User(string userId) => "user:" + userId;

    public static string Conversation(string conversationId) => "chat:" + conversationId;
}
