namespace SocketIoServer.Chat.Storage;

/// <summary>What kind of conversation this is, which decides who may join it.</summary>
public enum ConversationKind
{
    /// <summary>Anyone may join; created on first join (seed 000's room codes).</summary>
    Open,

    /// <summary>A direct conversation; member-only.</summary>
    Dm,

    /// <summary>A group conversation; member-only.</summary>
    Group,
}

/// <summary>The kinds as stored (<c>open</c>, <c>dm</c>, <c>group</c>: the words seed 002's clients see).</summary>
public static class ConversationKinds
{
    public static string ToStorage(this ConversationKind kind) => kind switch
    {
        ConversationKind.Open => "open",
        ConversationKind.Dm => "dm",
        ConversationKind.Group => "group",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown conversation kind"),
    };

    public static ConversationKind FromStorage(string value) => value switch
    {
        "open" => ConversationKind.Open,
        "dm" => ConversationKind.Dm,
        "group" => ConversationKind.Group,
        // the schema's CHECK constraint keeps other words out, so this means a damaged or foreign database
        _ => throw new InvalidDataException($"unknown conversation kind '{value}' in the chat store"),
    };
}
