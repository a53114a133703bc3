global using PostgresUserRow = SocketIoServer.Chat.Storage.UserRow<System.DateTime, SocketIoServer.Chat.Storage.PostgresTime>;
global using PostgresConversationRow = SocketIoServer.Chat.Storage.ConversationRow<System.DateTime, SocketIoServer.Chat.Storage.PostgresTime>;
global using PostgresMemberRow = SocketIoServer.Chat.Storage.MemberRow;
global using PostgresMessageRow = SocketIoServer.Chat.Storage.MessageRow<System.DateTime, SocketIoServer.Chat.Storage.PostgresTime>;
global using PostgresReadCursorRow = SocketIoServer.Chat.Storage.ReadCursorRow<System.DateTime, SocketIoServer.Chat.Storage.PostgresTime>;
global using PostgresReadMarkRow = SocketIoServer.Chat.Storage.ReadMarkRow<System.DateTime, SocketIoServer.Chat.Storage.PostgresTime>;
global using PostgresNotificationRow = SocketIoServer.Chat.Storage.NotificationRow<System.DateTime, SocketIoServer.Chat.Storage.PostgresTime>;
global using PostgresOutboxRow = SocketIoServer.Chat.Storage.OutboxRow<System.DateTime, SocketIoServer.Chat.Storage.PostgresTime>;

namespace SocketIoServer.Chat.Storage;

// The rows of the PostgreSQL store (StoreRows.cs), with times as timestamptz (UTC DateTime).

internal sealed class PostgresTime : IStoreTime<DateTime>
{
    private PostgresTime() { }

    public static DateTimeOffset From(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    // timestamptz takes a DateTimeOffset at offset zero
    public static object Parameter(DateTimeOffset value) => value.ToUniversalTime();

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
