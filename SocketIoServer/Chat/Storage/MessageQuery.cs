namespace SocketIoServer.Chat.Storage;

/// <summary>
/// Which messages of one conversation to list (seed 002's backfill, <c>GET /v1/chats/{id}/messages</c>). Results
/// are always in message order: <c>createdAt</c>, then the order they were stored in (messages stored within the
/// same millisecond keep their order).
/// </summary>
public sealed record MessageQuery
{
    /// <summary>Fewest and most messages one page may hold (CONTRACTS section 8: outside 1..200 is a validation error).</summary>
    public const int MinLimit = 1, MaxLimit = 200;

    private MessageQuery(int limit)
    {
        if (limit is < MinLimit or > MaxLimit)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be {MinLimit}..{MaxLimit}");
        Limit = limit;
    }

    public int Limit { get; }

    /// <summary>Messages after this one (exclusive), which must belong to the conversation.</summary>
    public string? AfterMessageId { get; private init; }

    /// <summary>Messages created strictly after this time.</summary>
    public DateTimeOffset? AfterTime { get; private init; }

    /// <summary>The newest <see cref="Limit"/> messages (still listed oldest first) rather than the oldest.</summary>
    public bool Latest { get; private init; }

    /// <summary>List soft-deleted messages too (they are left out by default).</summary>
    public bool IncludeDeleted { get; init; }

    /// <summary>The oldest messages of the conversation.</summary>
    public static MessageQuery FromStart(int limit) => new(limit);

    /// <summary>The newest messages of the conversation, oldest first (what a client shows when it opens a chat).</summary>
    public static MessageQuery Newest(int limit) => new(limit) { Latest = true };

    public static MessageQuery After(string messageId, int limit)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return new MessageQuery(limit) { AfterMessageId = messageId };
    }

    public static MessageQuery After(DateTimeOffset time, int limit) => new(limit) { AfterTime = time };
}
