using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Chat.Core;

/// <summary>
/// A member marked messages of one conversation read (per-message marks: seed 001's <c>mark-read</c>, seed 004's
/// <c>readBy</c>); one event per conversation. <see cref="OriginSocketId"/>, when set, is left out of the broadcast.
/// </summary>
public sealed record ReadMarksAdded(string ConversationId, string UserId, IReadOnlyList<ReadMark> Marks, string? OriginSocketId) : ChatEvent;
