namespace SocketIoServer.Chat.Storage;

/// <summary>
/// Everything the chat core keeps: users, conversations and their members, messages, read state. Two
/// implementations behave identically (one contract test suite runs against both): SQLite, embedded, the default;
/// PostgreSQL when <c>DATABASE_URL</c> is set.
/// </summary>
/// <remarks>
/// <para>Every operation is safe to call from many threads at once, and every operation that touches several rows
/// does so atomically. Ids are compared exactly (case-sensitive).</para>
/// <para>Outcomes a caller acts on (not a member, not found, duplicate) are results, not exceptions. Exceptions mean
/// bad arguments (<see cref="ArgumentException"/>) or a store that does not answer.</para>
/// <para>Membership is checked inside the operations that read or write a conversation's messages on behalf of a
/// user, in the same transaction, so a member removed concurrently cannot slip a message in.</para>
/// </remarks>
public interface IChatStore : IAsyncDisposable
{
    ChatStoreBackend Backend { get; }

    /// <summary>
    /// Creates or migrates the schema to the newest version this server knows. Idempotent, and safe when several
    /// servers start at once against one database. Fails when the database is newer than this server.
    /// </summary>
    Task<SchemaMigrationResult> InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Throws unless the store answers a trivial query (for <c>GET /health</c>).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    // --- users ---

    /// <summary>Creates the user, or updates the display name of an existing one (from the token's claims on connect).</summary>
    Task<ChatUser> UpsertUserAsync(string userId, string displayName, CancellationToken cancellationToken);

    /// <summary>Sets the user's last-seen time to now; returns that time, or null when there is no such user.</summary>
    Task<DateTimeOffset?> TouchLastSeenAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The users among <paramref name="userIds"/> that exist, in no particular order.</summary>
    Task<IReadOnlyList<ChatUser>> GetUsersAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    // --- conversations ---

    /// <summary>Creates a dm or group conversation with a new id; the creator is a member.</summary>
    Task<Conversation> CreateConversationAsync(NewConversation conversation, CancellationToken cancellationToken);

    /// <summary>
    /// Joins the user to the open conversation <paramref name="conversationId"/>, creating it if absent; concurrent
    /// first joins create it once. The caller normalizes room codes (trimmed, upper-cased) before calling.
    /// </summary>
    Task<OpenConversationJoin> JoinOpenConversationAsync(string conversationId, string userId, CancellationToken cancellationToken);

    Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>The user's conversations, most recently active first (newest message, else last metadata change).</summary>
    Task<IReadOnlyList<Conversation>> ListConversationsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Sets the title (null clears it); returns the conversation after the change, or null when there is none.</summary>
    Task<Conversation?> UpdateTitleAsync(string conversationId, string? title, CancellationToken cancellationToken);

    Task<MembershipChange> AddMemberAsync(string conversationId, string userId, CancellationToken cancellationToken);

    Task<MembershipChange> RemoveMemberAsync(string conversationId, string userId, CancellationToken cancellationToken);

    Task<bool> IsMemberAsync(string conversationId, string userId, CancellationToken cancellationToken);

    /// <summary>
    /// The other users who share a dm or group conversation with the user (seed 002's presence goes to them). Open
    /// rooms do not count: sharing a public room makes no contact.
    /// </summary>
    Task<IReadOnlyList<string>> ListContactIdsAsync(string userId, CancellationToken cancellationToken);

    // --- messages ---

    /// <summary>
    /// Stores a message from a member, idempotently by (sender, client id): see <see cref="MessageInsertStatus"/>.
    /// The caller acknowledges or broadcasts only after this returns, and broadcasts only on
    /// <see cref="MessageInsertStatus.Inserted"/>.
    /// </summary>
    Task<MessageInsertResult> InsertMessageAsync(NewMessage message, CancellationToken cancellationToken);

    /// <summary>The message, deleted or not; null when there is none.</summary>
    Task<ChatMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>A page of the conversation's messages, for a reader who must be a member.</summary>
    Task<MessagePage> ListMessagesAsync(string conversationId, string readerId, MessageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Messages created strictly after <paramref name="since"/> in every conversation the user is a member of now,
    /// in message order, deleted ones left out (seed 003's <c>get-missed-messages</c>).
    /// </summary>
    /// <param name="limit">1..<see cref="MaxMissedMessages"/>.</param>
    Task<IReadOnlyList<ChatMessage>> ListMessagesSinceAsync(string userId, DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>Soft-deletes a message; only its sender may.</summary>
    Task<MessageDeletion> DeleteMessageAsync(string messageId, string userId, CancellationToken cancellationToken);

    // --- read state ---

    /// <summary>
    /// Moves the user's read cursor in the conversation to the message, if that is after where it stands (never
    /// backwards, also under concurrent receipts).
    /// </summary>
    Task<ReadCursorUpdate> AdvanceReadCursorAsync(string conversationId, string userId, string messageId, CancellationToken cancellationToken);

    Task<ReadCursor?> GetReadCursorAsync(string conversationId, string userId, CancellationToken cancellationToken);

    /// <summary>Every member's cursor in the conversation (for unread counts after a reconnect).</summary>
    Task<IReadOnlyList<ReadCursor>> ListReadCursorsAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>Marks each message read by the user, where the user is a member of its conversation.</summary>
    Task<MarkReadResult> MarkReadAsync(string userId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken);

    /// <summary>Who has read these messages (seed 004's <c>readBy</c>), ordered by message, then by read time.</summary>
    Task<IReadOnlyList<ReadMark>> ListReadMarksAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken);

    // --- e-mail outbox (seed 004's notifications of offline members) ---

    /// <summary>
    /// Queues e-mail notifications, due at once; an e-mail already queued for the same message and recipient is
    /// left as it is. Returns how many were queued.
    /// </summary>
    Task<int> EnqueueEmailsAsync(IReadOnlyCollection<NewOutboxEmail> emails, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> unsent e-mails that are due, oldest first: each one's attempt count goes
    /// up and it is not due again until <paramref name="lease"/> has passed, so a sender that dies while sending
    /// leaves it to be retried, and two senders never claim the same e-mail at once.
    /// </summary>
    Task<IReadOnlyList<OutboxEmail>> ClaimDueEmailsAsync(int limit, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records that the mail server accepted the e-mail; false when there is no such unsent e-mail.</summary>
    Task<bool> MarkEmailSentAsync(long emailId, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt: the e-mail stays queued, due again at <paramref name="retryAt"/>.</summary>
    Task<bool> MarkEmailFailedAsync(long emailId, string error, DateTimeOffset retryAt, CancellationToken cancellationToken);

    /// <summary>The outbox e-mails about one message, sent or not, by recipient.</summary>
    Task<IReadOnlyList<OutboxEmail>> ListEmailsAsync(string messageId, CancellationToken cancellationToken);

    // --- notifications (seed 003) ---

    /// <summary>Stores a notification (type and priority must be among <see cref="NotificationKinds"/>'s).</summary>
    Task<Notification> CreateNotificationAsync(NewNotification notification, CancellationToken cancellationToken);

    /// <summary>
    /// The user's notifications, newest first, read ones past <see cref="NotificationKinds.ReadRetention"/> left out;
    /// only unread ones with <paramref name="unreadOnly"/>, only those of <paramref name="type"/> when given.
    /// </summary>
    /// <param name="limit">1..<see cref="MessageQuery.MaxLimit"/>.</param>
    Task<IReadOnlyList<Notification>> ListNotificationsAsync(string userId, bool unreadOnly, string? type, int limit, CancellationToken cancellationToken);

    Task<int> CountUnreadNotificationsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The user's notification, or null (unknown, someone else's, or read and past retention).</summary>
    Task<Notification?> GetNotificationAsync(string userId, string notificationId, CancellationToken cancellationToken);

    /// <summary>Marks it read (the first read time is kept); the notification after, or null as for <see cref="GetNotificationAsync"/>.</summary>
    Task<Notification?> MarkNotificationReadAsync(string userId, string notificationId, CancellationToken cancellationToken);

    /// <summary>Marks every unread notification of the user read; how many changed.</summary>
    Task<int> MarkAllNotificationsReadAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Deletes the user's notification; false when the user has none of that id.</summary>
    Task<bool> DeleteNotificationAsync(string userId, string notificationId, CancellationToken cancellationToken);

    /// <summary>Deletes every notification of the user; how many.</summary>
    Task<int> DeleteAllNotificationsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Deletes, for every user, the notifications read <see cref="NotificationKinds.ReadRetention"/> ago or more; how many.</summary>
    Task<int> PurgeReadNotificationsAsync(CancellationToken cancellationToken);

    // --- offline queue (seed 003) ---

    /// <summary>Queues a stored message for users who were offline when it was sent (a user queued twice keeps one entry).</summary>
    Task EnqueueMessageAsync(string messageId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>
    /// Empties the user's queue and returns the messages queued after <paramref name="queuedAfter"/> (older entries
    /// have expired), in message order, deleted messages left out. Two concurrent calls never both get a message.
    /// </summary>
    Task<IReadOnlyList<ChatMessage>> TakeQueuedMessagesAsync(string userId, DateTimeOffset queuedAfter, CancellationToken cancellationToken);

    Task<int> CountQueuedMessagesAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Most messages <see cref="ListMessagesSinceAsync"/> returns at once.</summary>
    const int MaxMissedMessages = 1000;
}
