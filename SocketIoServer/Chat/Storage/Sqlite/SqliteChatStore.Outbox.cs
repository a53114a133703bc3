using Dapper;

namespace SocketIoServer.Chat.Storage;

internal sealed partial class SqliteChatStore
{
    public async Task<int> EnqueueEmailsAsync(IReadOnlyCollection<NewOutboxEmail> emails, CancellationToken cancellationToken)
    {
        var list = OutboxArguments.Emails(emails);
        if (list.Length == 0) return 0;
        var now = SqliteTime.To(_clock.Now());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var queued = 0;
        foreach (var email in list)
        {
            queued += await connection.ExecuteAsync(Command("""
                INSERT INTO email_outbox (message_id, conversation_id, recipient_id, subject, body, created_at, next_attempt_at)
                VALUES (@MessageId, @ConversationId, @RecipientId, @Subject, @Body, @now, @now)
                ON CONFLICT (message_id, recipient_id) DO NOTHING
                """, new { email.MessageId, email.ConversationId, email.RecipientId, email.Subject, email.Body, now }, transaction, cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return queued;
    }

    public async Task<IReadOnlyList<OutboxEmail>> ClaimDueEmailsAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        OutboxArguments.Claim(limit, lease);
        var now = _clock.Now();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(); // IMMEDIATE: one claimer at a time
        var rows = await connection.QueryAsync<SqliteOutboxRow>(Command($"""
            UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = @until
            WHERE id IN (SELECT id FROM email_outbox WHERE sent_at IS NULL AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @limit)
            RETURNING {OutboxColumns}
            """, new { now = SqliteTime.To(now), until = SqliteTime.To(now + lease), limit }, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rows.OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Id).Select(r => r.ToEmail()).ToList();
    }
}
