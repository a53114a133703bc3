namespace SocketIoServer.Chat.Storage;

/// <summary>
/// How far one user has read in one conversation (seed 002's <c>membership.lastReadMessageId</c>). It only moves
/// forward in message order.
/// </summary>
public sealed record ReadCursor(string ConversationId, string UserId, string MessageId, DateTimeOffset ReadAt);
