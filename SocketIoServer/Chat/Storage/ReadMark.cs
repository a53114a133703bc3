namespace SocketIoServer.Chat.Storage;

/// <summary>One user has read one message (seed 001's <c>mark-read</c>, seed 004's <c>readBy</c>).</summary>
/// <param name="ReadAt">When it was first marked; marking again keeps the first time.</param>
public sealed record ReadMark(string MessageId, string ConversationId, string UserId, DateTimeOffset ReadAt);
