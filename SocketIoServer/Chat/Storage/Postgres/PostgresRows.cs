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

/// <summary>The PostgreSQL select lists besides the shared ones (<see cref="StoreColumns"/>).</summary>
internal static class PostgresColumns
{
    public const string ReadCursor = "rc.conversation_id AS ConversationId, rc.user_id AS UserId, rc.message_id AS MessageId, rc.read_at AS ReadAt";
}
