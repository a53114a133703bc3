namespace SocketIoServer.Chat.Storage;

/// <summary>
/// One conversation, whatever a vocabulary calls it (000's and 001's rooms, 002's chats, 003's conversations,
/// 004's groups), with its members.
/// </summary>
/// <param name="Id">24 hex characters (MongoDB ObjectId-like) for dm and group; the room code for open ones.</param>
/// <param name="UpdatedAt">When the metadata (title, members) last changed; new messages do not move it.</param>
/// <param name="LastMessageAt">When the newest message was stored; null while there is none.</param>
/// <param name="MemberIds">In the order they joined (then by id).</param>
public sealed record Conversation(
    string Id,
    ConversationKind Kind,
    string? Title,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastMessageAt,
    IReadOnlyList<string> MemberIds);
