namespace SocketIoServer.Chat.Storage;

/// <summary>
/// The select lists both SQL backends use, whose aliases match the row classes' property names (StoreRows.cs).
/// What differs per backend (the read cursor's columns, SQLite's unqualified RETURNING) is in SqliteColumns and
/// PostgresColumns.
/// </summary>
internal static class StoreColumns
{
    public const string User = "id AS Id, display_name AS DisplayName, created_at AS CreatedAt, updated_at AS UpdatedAt, last_seen_at AS LastSeenAt";

    public const string Conversation = "c.id AS Id, c.kind AS Kind, c.title AS Title, c.created_by AS CreatedBy, c.created_at AS CreatedAt, " +
        "c.updated_at AS UpdatedAt, c.last_message_at AS LastMessageAt";

    public const string Message = "m.seq AS Seq, m.id AS Id, m.conversation_id AS ConversationId, m.sender_id AS SenderId, m.body AS Body, " +
        "m.client_id AS ClientId, m.created_at AS CreatedAt, m.deleted_at AS DeletedAt";

    public const string ReadMark = "r.message_id AS MessageId, r.conversation_id AS ConversationId, r.user_id AS UserId, r.read_at AS ReadAt";
}
