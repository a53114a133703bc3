namespace SocketIoServer.Chat.Storage;

/// <summary>
/// The SQLite schema. Times are INTEGER Unix milliseconds (exact, compact, ordered); <c>seq</c> is the rowid, the
/// order messages were stored in, which breaks ties between messages created in the same millisecond.
/// </summary>
internal static class SqliteSchema
{
    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        );
        """;

    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, "users, conversations, members, messages, read state", """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                last_seen_at INTEGER
            );

            CREATE TABLE conversations (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('open', 'dm', 'group')),
                title TEXT,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                last_message_at INTEGER
            );

            -- user_id has no foreign key: members may be named before their first connect creates them
            CREATE TABLE conversation_members (
                conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                user_id TEXT NOT NULL,
                joined_at INTEGER NOT NULL,
                PRIMARY KEY (conversation_id, user_id)
            ) WITHOUT ROWID;
            CREATE INDEX conversation_members_by_user ON conversation_members (user_id, conversation_id);

            CREATE TABLE messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                sender_id TEXT NOT NULL,
                body TEXT NOT NULL,
                client_id TEXT,
                created_at INTEGER NOT NULL,
                deleted_at INTEGER
            );
            -- the idempotency key (seed 002); NULL client ids never collide
            CREATE UNIQUE INDEX messages_by_sender_client_id ON messages (sender_id, client_id);
            CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at, seq);

            -- message_created_at and message_seq copy the cursor message's order key, so "only forward" is one comparison
            CREATE TABLE read_cursors (
                conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                user_id TEXT NOT NULL,
                message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                message_created_at INTEGER NOT NULL,
                message_seq INTEGER NOT NULL,
                read_at INTEGER NOT NULL,
                PRIMARY KEY (conversation_id, user_id)
            ) WITHOUT ROWID;

            CREATE TABLE read_marks (
                message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                user_id TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                read_at INTEGER NOT NULL,
                PRIMARY KEY (message_id, user_id)
            ) WITHOUT ROWID;
            """),
        // seed 004: e-mail notifications of offline members, queued after the message is stored and sent by a
        // background sender (retried until the mail server accepts them)
        new(2, "e-mail outbox", """
            CREATE TABLE email_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                conversation_id TEXT NOT NULL,
                recipient_id TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                sent_at INTEGER,
                last_error TEXT,
                UNIQUE (message_id, recipient_id)
            );
            CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at, id) WHERE sent_at IS NULL;
            """),
        new(3, "notifications, offline message queue", """
            CREATE TABLE notifications (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                type TEXT NOT NULL,
                priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
                title TEXT NOT NULL,
                message TEXT NOT NULL,
                data TEXT,
                action_url TEXT,
                created_at INTEGER NOT NULL,
                read_at INTEGER
            );
            CREATE INDEX notifications_by_user ON notifications (user_id, read_at, created_at);
            CREATE INDEX notifications_by_read_at ON notifications (read_at) WHERE read_at IS NOT NULL;

            CREATE TABLE message_queue (
                user_id TEXT NOT NULL,
                message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                queued_at INTEGER NOT NULL,
                PRIMARY KEY (user_id, message_id)
            );
            """),
    ];

    public static readonly int Latest = SchemaMigration.Latest(Migrations);
}
