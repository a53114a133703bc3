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

/// <summary>The SQLite select lists besides the shared ones (<see cref="StoreColumns"/>).</summary>
internal static class SqliteColumns
{
    /// <summary><see cref="StoreColumns.Message"/> without the table alias, for RETURNING (where SQLite allows no qualified names).</summary>
    public static readonly string MessageReturning = StoreColumns.Message.Replace("m.", "", StringComparison.Ordinal);

    public const string ReadCursor = "conversation_id AS ConversationId, user_id AS UserId, message_id AS MessageId, " +
        "message_created_at AS MessageCreatedAt, message_seq AS MessageSeq, read_at AS ReadAt";
}
