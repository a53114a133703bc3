namespace SocketIoServer.Chat.Storage;

/// <summary>An e-mail notification waiting in the outbox (or sent from it): one recipient, one message.</summary>
/// <param name="Id">The outbox row's id, in the order the e-mails were queued.</param>
/// <param name="Attempts">How many times a sender has claimed it to send it.</param>
/// <param name="NextAttemptAt">When it is due (again); while claimed, when the claim runs out.</param>
/// <param name="SentAt">When the mail server accepted it; null while it waits.</param>
/// <param name="LastError">Why the last attempt failed; null when none did.</param>
public sealed record OutboxEmail(
    long Id,
    string MessageId,
    string ConversationId,
    string RecipientId,
    string Subject,
    string Body,
    DateTimeOffset CreatedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt,
    string? LastError);

/// <summary>An e-mail notification to queue: about <paramref name="MessageId"/>, for <paramref name="RecipientId"/>.</summary>
public sealed record NewOutboxEmail(string MessageId, string ConversationId, string RecipientId, string Subject, string Body);
