namespace SocketIoServer.Chat.Storage;

/// <summary>Argument checks of the e-mail outbox operations, shared by both stores.</summary>
internal static class OutboxArguments
{
    public const int MaxClaim = 1000;

    public static NewOutboxEmail[] Emails(IReadOnlyCollection<NewOutboxEmail>? emails)
    {
        ArgumentNullException.ThrowIfNull(emails);
        if (emails.Count > StoreArguments.MaxIdsPerCall)
            throw new ArgumentException($"at most {StoreArguments.MaxIdsPerCall} e-mails per call", nameof(emails));
        foreach (var email in emails)
        {
            ArgumentNullException.ThrowIfNull(email, nameof(emails));
            StoreArguments.Id(email.MessageId, "email.MessageId");
            StoreArguments.Id(email.ConversationId, "email.ConversationId");
            StoreArguments.Id(email.RecipientId, "email.RecipientId");
            ArgumentNullException.ThrowIfNull(email.Subject, "email.Subject");
            ArgumentNullException.ThrowIfNull(email.Body, "email.Body");
        }
        return [.. emails];
    }

    public static void Claim(int limit, TimeSpan lease)
    {
        if (limit is < 1 or > MaxClaim) throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be 1..{MaxClaim}");
        if (lease <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lease), lease, "lease must be positive");
    }
}
