global using SqliteUserRow = SocketIoServer.Chat.Storage.UserRow<long, SocketIoServer.Chat.Storage.SqliteTime>;
global using SqliteConversationRow = SocketIoServer.Chat.Storage.ConversationRow<long, SocketIoServer.Chat.Storage.SqliteTime>;
global using SqliteMemberRow = SocketIoServer.Chat.Storage.MemberRow;
global using SqliteMessageRow = SocketIoServer.Chat.Storage.MessageRow<long, SocketIoServer.Chat.Storage.SqliteTime>;
global using SqliteReadMarkRow = SocketIoServer.Chat.Storage.ReadMarkRow<long, SocketIoServer.Chat.Storage.SqliteTime>;
global using SqliteNotificationRow = SocketIoServer.Chat.Storage.NotificationRow<long, SocketIoServer.Chat.Storage.SqliteTime>;
global using SqliteOutboxRow = SocketIoServer.Chat.Storage.OutboxRow<long, SocketIoServer.Chat.Storage.SqliteTime>;

namespace SocketIoServer.Chat.Storage;

// The rows of the SQLite store (StoreRows.cs), with times as INTEGER Unix milliseconds.

internal sealed class SqliteReadCursorRow : ReadCursorRow<long, SqliteTime>
{
    // the order key of the cursor's message, so that "only forward" is one comparison
    public long MessageCreatedAt { get; set; }
    public long MessageSeq { get; set; }
}

internal sealed class SqliteTime : IStoreTime<long>
{
    private SqliteTime() { }

    public static long To(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static object Parameter(DateTimeOffset value) => To(value);

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
