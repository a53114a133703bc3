namespace SocketIoServer.Chat.Storage;

/// <summary>
/// The PostgreSQL schema. Times are <c>timestamptz</c> written with millisecond precision; <c>seq</c> is an identity
/// column, the order messages were stored in, which breaks ties between messages created in the same millisecond.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>
    /// The advisory lock that serializes migrations of one database: servers starting at once take turns, and each
    /// finds the work done by the one before.
    /// </summary>
    public const long MigrationLockKey = 0x5_0C_1E_7C_4A_75;

    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """;

    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, "users, conversations, members, messages, read state", """
            CREATE TABLE users (
                id text PRIMARY KEY,
                display_name text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                last_seen_at timestamptz
            );

            CREATE TABLE conversations (
                id text PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('open', 'dm', 'group')),
                title text,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                last_message_at timestamptz
            );

            -- user_id has no foreign key: members may be named before their first connect creates them
            CREATE TABLE conversation_members (
                conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                user_id text NOT NULL,
                joined_at timestamptz NOT NULL,
                PRIMARY KEY (conversation_id, user_id)
            );
            CREATE INDEX conversation_members_by_user ON conversation_members (user_id, conversation_id);

            CREATE TABLE messages (
                id text PRIMARY KEY,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                sender_id text NOT NULL,
                body text NOT NULL,
                client_id text,
                created_at timestamptz NOT NULL,
                deleted_at timestamptz
            );
            -- the idempotency key (seed 002); NULL client ids never collide
            CREATE UNIQUE INDEX messages_by_sender_client_id ON messages (sender_id, client_id);
            CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at, seq);

            -- message_created_at and message_seq copy the cursor message's order key, so "only forward" is one comparison
            CREATE TABLE read_cursors (
                conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                user_id text NOT NULL,
                message_id text NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                message_created_at timestamptz NOT NULL,
                message_seq bigint NOT NULL,
                read_at timestamptz NOT NULL,
                PRIMARY KEY (conversation_id, user_id)
            );

            CREATE TABLE read_marks (
                message_id text NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                user_id text NOT NULL,
                conversation_id text NOT NULL,
                read_at timestamptz NOT NULL,
                PRIMARY KEY (message_id, user_id)
            );
            """),
        // seed 004: e-mail notifications of offline members, queued after the message is stored and sent by a
        // background sender (retried until the mail server accepts them)
        new(2, "e-mail outbox", """
            CREATE TABLE email_outbox (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                message_id text NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                conversation_id text NOT NULL,
                recipient_id text NOT NULL,
                subject text NOT NULL,
                body text NOT NULL,
                created_at timestamptz NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                sent_at timestamptz,
                last_error text,
                UNIQUE (message_id, recipient_id)
            );
            CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at, id) WHERE sent_at IS NULL;
            """),
        new(3, "notifications, offline message queue", """
            CREATE TABLE notifications (
                id text PRIMARY KEY,
                user_id text NOT NULL,
                type text NOT NULL,
                priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
                title text NOT NULL,
                message text NOT NULL,
                data text,
                action_url text,
                created_at timestamptz NOT NULL,
                read_at timestamptz
            );
            CREATE INDEX notifications_by_user ON notifications (user_id, read_at, created_at);
            CREATE INDEX notifications_by_read_at ON notifications (read_at) WHERE read_at IS NOT NULL;

            CREATE TABLE message_queue (
                user_id text NOT NULL,
                message_id text NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                queued_at timestamptz NOT NULL,
                PRIMARY KEY (user_id, message_id)
            );
            """),
    ];

    public static readonly int Latest = SchemaMigration.Latest(Migrations);
}
