namespace SocketIoServer.Chat.Storage;

// Rows as a backend returns them, mapped by Dapper through the column aliases of its Columns class, then turned into
// the public records. The two backends differ only in how a time comes back (SQLite: INTEGER Unix milliseconds;
// PostgreSQL: timestamptz as a UTC DateTime), so each row takes the backend's time type and its conversion.
// SqliteRows.cs and PostgresRows.cs name the rows of each backend.

/// <summary>How a backend's time column becomes a <see cref="DateTimeOffset"/>, and what a time is as a parameter.</summary>
internal interface IStoreTime<TTime> where TTime : struct
{
    static abstract DateTimeOffset From(TTime value);

    static abstract object Parameter(DateTimeOffset value);
}

internal static class StoreTimes
{
    public static DateTimeOffset? From<TTime, TClock>(TTime? value) where TTime : struct where TClock : IStoreTime<TTime> =>
        value is { } v ? TClock.From(v) : null;
}

internal sealed class UserRow<TTime, TClock> where TTime : struct where TClock : IStoreTime<TTime>
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public TTime CreatedAt { get; set; }
    public TTime UpdatedAt { get; set; }
    public TTime? LastSeenAt { get; set; }

    public ChatUser ToUser() =>
        new(Id, DisplayName, TClock.From(CreatedAt), TClock.From(UpdatedAt), StoreTimes.From<TTime, TClock>(LastSeenAt));
}

internal sealed class ConversationRow<TTime, TClock> where TTime : struct where TClock : IStoreTime<TTime>
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Title { get; set; }
    public string CreatedBy { get; set; } = "";
    public TTime CreatedAt { get; set; }
    public TTime UpdatedAt { get; set; }
    public TTime? LastMessageAt { get; set; }

    public Conversation ToConversation(IReadOnlyList<string> memberIds) => new(Id, ConversationKinds.FromStorage(Kind), Title, CreatedBy,
        TClock.From(CreatedAt), TClock.From(UpdatedAt), StoreTimes.From<TTime, TClock>(LastMessageAt), memberIds);
}

internal sealed class MemberRow
{
    public string ConversationId { get; set; } = "";
    public string UserId { get; set; } = "";
}

internal sealed class MessageRow<TTime, TClock> where TTime : struct where TClock : IStoreTime<TTime>
{
    public long Seq { get; set; }
    public string Id { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string SenderId { get; set; } = "";
    public string Body { get; set; } = "";
    public string? ClientId { get; set; }
    public TTime CreatedAt { get; set; }
    public TTime? DeletedAt { get; set; }

    public ChatMessage ToMessage() =>
        new(Id, ConversationId, SenderId, Body, ClientId, TClock.From(CreatedAt), StoreTimes.From<TTime, TClock>(DeletedAt));
}

internal class ReadCursorRow<TTime, TClock> where TTime : struct where TClock : IStoreTime<TTime>
{
    public string ConversationId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string MessageId { get; set; } = "";
    public TTime ReadAt { get; set; }

    public ReadCursor ToCursor() => new(ConversationId, UserId, MessageId, TClock.From(ReadAt));
}

internal sealed class ReadMarkRow<TTime, TClock> where TTime : struct where TClock : IStoreTime<TTime>
{
    public string MessageId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string UserId { get; set; } = "";
    public TTime ReadAt { get; set; }

    public ReadMark ToMark() => new(MessageId, ConversationId, UserId, TClock.From(ReadAt));
}

internal sealed class NotificationRow<TTime, TClock> where TTime : struct where TClock : IStoreTime<TTime>
{
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public string Type { get; set; } = "";
    public string Priority { get; set; } = "";
    public string Title { get; set; } = "";
    public string Message { get; set; } = "";
    public string? DataJson { get; set; }
    public string? ActionUrl { get; set; }
    public TTime CreatedAt { get; set; }
    public TTime? ReadAt { get; set; }

    public Notification ToNotification() => new(Id, UserId, Type, Priority, Title, Message, DataJson, ActionUrl,
        TClock.From(CreatedAt), StoreTimes.From<TTime, TClock>(ReadAt));
}

internal sealed class OutboxRow<TTime, TClock> where TTime : struct where TClock : IStoreTime<TTime>
{
    public long Id { get; set; }
    public string MessageId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string RecipientId { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public TTime CreatedAt { get; set; }
    public int Attempts { get; set; }
    public TTime NextAttemptAt { get; set; }
    public TTime? SentAt { get; set; }
    public string? LastError { get; set; }

    public OutboxEmail ToEmail() => new(Id, MessageId, ConversationId, RecipientId, Subject, Body, TClock.From(CreatedAt), Attempts,
        TClock.From(NextAttemptAt), StoreTimes.From<TTime, TClock>(SentAt), LastError);
}
