using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Chat.Core;

public sealed partial class ChatService
{
    /// <summary>
    /// Marks each message read by the user where the user is a member of its conversation (the others are refused,
    /// unknown and foreign ids alike), and publishes one <see cref="ReadMarksAdded"/> per conversation with marks.
    /// </summary>
    public async Task<MarkReadResult> MarkMessagesReadAsync(string userId, IReadOnlyCollection<string> messageIds, string? originSocketId,
        CancellationToken cancellationToken)
    {
        _cluster.EnsureReachable();
        var result = await _store.MarkReadAsync(userId, messageIds, cancellationToken);
        foreach (var conversation in result.Marks.GroupBy(m => m.ConversationId, StringComparer.Ordinal))
            await PublishAsync(new ReadMarksAdded(conversation.Key, userId, [.. conversation], originSocketId));
        return result;
    }
}
