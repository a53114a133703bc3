namespace SocketIoServer.Chat.Storage;

// Rows as SQLite returns them (times as Unix milliseconds), mapped by Dapper through the column aliases of
// SqliteColumns, then turned into the public records.

internal sealed class SqliteUserRow
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? LastSeenAt { get; set; }

    public ChatUser ToUser() => new(Id, DisplayName, SqliteTime.From(CreatedAt), SqliteTime.From(UpdatedAt), SqliteTime.From(LastSeenAt));
}

internal sealed class SqliteConversationRow
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Title { get; set; }
    public string CreatedBy { get; set; } = "";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? LastMessageAt { get; set; }

    public Conversation ToConversation(IReadOnlyList<string> memberIds) => new(Id, ConversationKinds.FromStorage(Kind), Title, CreatedBy,
        SqliteTime.From(CreatedAt), SqliteTime.From(UpdatedAt), SqliteTime.From(LastMessageAt), memberIds);
}

internal sealed class SqliteMemberRow
{
    public string ConversationId { get; set; } = "";
    public string UserId { get; set; } = "";
}

internal sealed class SqliteMessageRow
{
    public long Seq { get; set; }
    public string Id { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string SenderId { get; set; } = "";
    public string Body { get; set; } = "";
    public string? ClientId { get; set; }
    public long CreatedAt { get; set; }
    public long? DeletedAt { get; set; }

    public ChatMessage ToMessage() => new(Id, ConversationId, SenderId, Body, ClientId, SqliteTime.From(CreatedAt), SqliteTime.From(DeletedAt));
}

internal sealed class SqliteReadCursorRow
{
    public string ConversationId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string MessageId { get; set; } = "";
    public long MessageCreatedAt { get; set; }
    public long MessageSeq { get; set; }
    public long ReadAt { get; set; }

    public ReadCursor ToCursor() => new(ConversationId, UserId, MessageId, SqliteTime.From(ReadAt));
}

internal sealed class SqliteReadMarkRow
{
    public string MessageId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string UserId { get; set; } = "";
    public long ReadAt { get; set; }

    public ReadMark ToMark() => new(MessageId, ConversationId, UserId, SqliteTime.From(ReadAt));
}

internal static class SqliteTime
{
    public static long To(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset From(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? From(long? value) => value is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}

/// <summary>Select lists whose aliases match the row classes' property names.</summary>
internal static class SqliteColumns
{
    public const string User = "id AS Id, display_name AS DisplayName, created_at AS CreatedAt, updated_at AS UpdatedAt, last_seen_at AS LastSeenAt";

    public const string Conversation = "c.id AS Id, c.kind AS Kind, c.title AS Title, c.created_by AS CreatedBy, c.created_at AS CreatedAt, " +
        "c.updated_at AS UpdatedAt, c.last_message_at AS LastMessageAt";

    public const string Message = "m.seq AS Seq, m.id AS Id, m.conversation_id AS ConversationId, m.sender_id AS SenderId, m.body AS Body, " +
        "m.client_id AS ClientId, m.created_at AS CreatedAt, m.deleted_at AS DeletedAt";

    /// <summary><see cref="Message"/> without the table alias, for RETURNING (where SQLite allows no qualified names).</summary>
    public static readonly string MessageReturning = Message.Replace("m.", "", StringComparison.Ordinal);

    public const string ReadCursor = "conversation_id AS ConversationId, user_id AS UserId, message_id AS MessageId, " +
        "message_created_at AS MessageCreatedAt, message_seq AS MessageSeq, read_at AS ReadAt";

    public const string ReadMark = "r.message_id AS MessageId, r.conversation_id AS ConversationId, r.user_id AS UserId, r.read_at AS ReadAt";
}
