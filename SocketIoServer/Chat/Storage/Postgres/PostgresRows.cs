namespace SocketIoServer.Chat.Storage;

// Rows as Npgsql returns them (timestamptz as UTC DateTime), mapped by Dapper through the column aliases of
// PostgresColumns, then turned into the public records.

internal sealed class PostgresUserRow
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastSeenAt { get; set; }

    public ChatUser ToUser() => new(Id, DisplayName, PostgresTime.From(CreatedAt), PostgresTime.From(UpdatedAt), PostgresTime.From(LastSeenAt));
}

internal sealed class PostgresConversationRow
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Title { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastMessageAt { get; set; }

    public Conversation ToConversation(IReadOnlyList<string> memberIds) => new(Id, ConversationKinds.FromStorage(Kind), Title, CreatedBy,
        PostgresTime.From(CreatedAt), PostgresTime.From(UpdatedAt), PostgresTime.From(LastMessageAt), memberIds);
}

internal sealed class PostgresMemberRow
{
    public string ConversationId { get; set; } = "";
    public string UserId { get; set; } = "";
}

internal sealed class PostgresMessageRow
{
    public long Seq { get; set; }
    public string Id { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string SenderId { get; set; } = "";
    public string Body { get; set; } = "";
    public string? ClientId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    public ChatMessage ToMessage() => new(Id, ConversationId, SenderId, Body, ClientId, PostgresTime.From(CreatedAt), PostgresTime.From(DeletedAt));
}

internal sealed class PostgresReadCursorRow
{
    public string ConversationId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string MessageId { get; set; } = "";
    public DateTime ReadAt { get; set; }

    public ReadCursor ToCursor() => new(ConversationId, UserId, MessageId, PostgresTime.From(ReadAt));
}

internal sealed class PostgresReadMarkRow
{
    public string MessageId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string UserId { get; set; } = "";
    public DateTime ReadAt { get; set; }

    public ReadMark ToMark() => new(MessageId, ConversationId, UserId, PostgresTime.From(ReadAt));
}

internal static class PostgresTime
{
    public static DateTimeOffset From(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? From(DateTime? value) => value is { } v ? From(v) : null;
}

/// <summary>Select lists whose aliases match the row classes' property names.</summary>
internal static class PostgresColumns
{
    public const string User = "id AS Id, display_name AS DisplayName, created_at AS CreatedAt, updated_at AS UpdatedAt, last_seen_at AS LastSeenAt";

    public const string Conversation = "c.id AS Id, c.kind AS Kind, c.title AS Title, c.created_by AS CreatedBy, c.created_at AS CreatedAt, " +
        "c.updated_at AS UpdatedAt, c.last_message_at AS LastMessageAt";

    public const string Message = "m.seq AS Seq, m.id AS Id, m.conversation_id AS ConversationId, m.sender_id AS SenderId, m.body AS Body, " +
        "m.client_id AS ClientId, m.created_at AS CreatedAt, m.deleted_at AS DeletedAt";

    public const string ReadCursor = "rc.conversation_id AS ConversationId, rc.user_id AS UserId, rc.message_id AS MessageId, rc.read_at AS ReadAt";

    public const string ReadMark = "r.message_id AS MessageId, r.conversation_id AS ConversationId, r.user_id AS UserId, r.read_at AS ReadAt";
}
