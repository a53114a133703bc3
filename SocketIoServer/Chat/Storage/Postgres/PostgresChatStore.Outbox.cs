using Dapper;

namespace SocketIoServer.Chat.Storage;

internal sealed partial class PostgresChatStore
{
    public async Task<int> EnqueueEmailsAsync(IReadOnlyCollection<NewOutboxEmail> emails, CancellationToken cancellationToken)
    {
        var list = OutboxArguments.Emails(emails);
        if (list.Length == 0) return 0;
        var now = _clock.Now();
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(Command("""
            INSERT INTO email_outbox (message_id, conversation_id, recipient_id, subject, body, created_at, next_attempt_at)
            SELECT e.m, e.c, e.r, e.s, e.b, @now, @now FROM unnest(@messageIds, @conversationIds, @recipientIds, @subjects, @bodies) AS e (m, c, r, s, b)
            ON CONFLICT (message_id, recipient_id) DO NOTHING
            """, new
        {
            messageIds = list.Select(e => e.MessageId).ToArray(),
            conversationIds = list.Select(e => e.ConversationId).ToArray(),
            recipientIds = list.Select(e => e.RecipientId).ToArray(),
            subjects = list.Select(e => e.Subject).ToArray(),
            bodies = list.Select(e => e.Body).ToArray(),
            now,
        }, null, cancellationToken));
    }

    public async Task<IReadOnlyList<OutboxEmail>> ClaimDueEmailsAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        OutboxArguments.Claim(limit, lease);
        var now = _clock.Now();
        await using var connection = await OpenAsync(cancellationToken);
        // SKIP LOCKED: two senders claiming at once take different e-mails
        var rows = await connection.QueryAsync<PostgresOutboxRow>(Command($"""
            UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = @until
            WHERE id IN (SELECT id FROM email_outbox WHERE sent_at IS NULL AND next_attempt_at <= @now
                         ORDER BY next_attempt_at, id LIMIT @limit FOR UPDATE SKIP LOCKED)
            RETURNING {OutboxColumns}
            """, new { now, until = now + lease, limit }, null, cancellationToken));
        return rows.OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Id).Select(r => r.ToEmail()).ToList();
    }
}
