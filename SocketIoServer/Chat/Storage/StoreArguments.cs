namespace SocketIoServer.Chat.Storage;

/// <summary>Argument checks shared by both stores, so that both refuse exactly the same calls.</summary>
internal static class StoreArguments
{
    /// <summary>Most ids one call may name (keeps every statement far under SQLite's parameter limit).</summary>
    public const int MaxIdsPerCall = 1000;

    public static void Id(string? value, string name)
    {
        if (string.IsNullOrEmpty(value)) throw new ArgumentException($"{name} must not be empty", name);
    }

    public static string[] Ids(IReadOnlyCollection<string>? values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count > MaxIdsPerCall) throw new ArgumentException($"{name} may name at most {MaxIdsPerCall} ids", name);
        foreach (var value in values) Id(value, name);
        return values.Distinct(StringComparer.Ordinal).ToArray();
    }

    public static void NewConversation(NewConversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (conversation.Kind is not (ConversationKind.Dm or ConversationKind.Group))
            throw new ArgumentException("only dm and group conversations are created this way; open ones are joined", nameof(conversation));
        Id(conversation.CreatedBy, "conversation.CreatedBy");
        Ids(conversation.MemberIds, "conversation.MemberIds");
    }

    /// <summary>The creator first, then the other members as given, without duplicates.</summary>
    public static string[] Members(NewConversation conversation) =>
        conversation.MemberIds.Prepend(conversation.CreatedBy).Distinct(StringComparer.Ordinal).ToArray();

    public static void NewMessage(NewMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Id(message.ConversationId, "message.ConversationId");
        Id(message.SenderId, "message.SenderId");
        ArgumentNullException.ThrowIfNull(message.Body, "message.Body");
        if (message.ClientId is { Length: 0 }) throw new ArgumentException("message.ClientId must be null or not empty", nameof(message));
    }

    public static void MissedLimit(int limit)
    {
        if (limit is < 1 or > IChatStore.MaxMissedMessages)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be 1..{IChatStore.MaxMissedMessages}");
    }

    public static void DisplayName(string? value)
    {
        ArgumentNullException.ThrowIfNull(value, "displayName");
    }

    public static void NewNotification(NewNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Id(notification.UserId, "notification.UserId");
        if (!NotificationKinds.Types.ContainsKey(notification.Type ?? ""))
            throw new ArgumentException($"unknown notification type '{notification.Type}'", nameof(notification));
        if (!NotificationKinds.Priorities.Contains(notification.Priority))
            throw new ArgumentException($"unknown notification priority '{notification.Priority}'", nameof(notification));
        ArgumentNullException.ThrowIfNull(notification.Title, "notification.Title");
        ArgumentNullException.ThrowIfNull(notification.Message, "notification.Message");
    }

    public static void NotificationLimit(int limit)
    {
        if (limit is < MessageQuery.MinLimit or > MessageQuery.MaxLimit)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be {MessageQuery.MinLimit}..{MessageQuery.MaxLimit}");
    }
}
