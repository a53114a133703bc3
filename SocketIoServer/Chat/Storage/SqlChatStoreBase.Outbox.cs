using Dapper;

namespace SocketIoServer.Chat.Storage;

// Seed 004's e-mail outbox where both backends run the same statements; enqueueing and claiming stay in each backend
// (PostgreSQL batches with unnest and claims with SKIP LOCKED, SQLite loops and claims under its write lock).
internal abstract partial class SqlChatStoreBase<TTime, TClock>
{
    protected const string OutboxColumns = "id AS Id, message_id AS MessageId, conversation_id AS ConversationId, recipient_id AS RecipientId, " +
        "subject AS Subject, body AS Body, created_at AS CreatedAt, attempts AS Attempts, next_attempt_at AS NextAttemptAt, sent_at AS SentAt, " +
        "last_error AS LastError";

    public async Task<bool> MarkEmailSentAsync(long emailId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command("UPDATE email_outbox SET sent_at = @now, last_error = NULL WHERE id = @emailId AND sent_at IS NULL",
            new { emailId, now = Now() }, null, cancellationToken)) > 0;
    }

    public async Task<bool> MarkEmailFailedAsync(long emailId, string error, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(
            "UPDATE email_outbox SET last_error = @error, next_attempt_at = @retryAt WHERE id = @emailId AND sent_at IS NULL",
            new { emailId, error, retryAt = TClock.Parameter(StoreClock.Truncate(retryAt)) }, null, cancellationToken)) > 0;
    }

    public async Task<IReadOnlyList<OutboxEmail>> ListEmailsAsync(string messageId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(messageId, nameof(messageId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow<TTime, TClock>>(Command(
            $"SELECT {OutboxColumns} FROM email_outbox WHERE message_id = @messageId ORDER BY {Bytewise("recipient_id")}",
            new { messageId }, null, cancellationToken));
        return rows.Select(r => r.ToEmail()).ToList();
    }
}
