namespace SocketIoServer.Chat.Storage;

/// <summary>
/// A dm or group conversation to create. The creator always becomes a member; <see cref="MemberIds"/> may name users
/// the server has not seen yet (they are created on their first connect, CONTRACTS section 8), and duplicates are
/// ignored. Open conversations are made by <see cref="IChatStore.JoinOpenConversationAsync"/> instead.
/// </summary>
public sealed record NewConversation(ConversationKind Kind, string? Title, string CreatedBy, IReadOnlyCollection<string> MemberIds);
