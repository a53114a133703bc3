namespace SocketIoServer.Chat.Storage;

public enum OpenConversationJoinStatus
{
    /// <summary>The conversation did not exist; it was created with the user as its first member.</summary>
    Created,

    /// <summary>The user became a member of an existing open conversation.</summary>
    Joined,

    /// <summary>The user was already a member; nothing changed.</summary>
    AlreadyMember,

    /// <summary>The id names a dm or group conversation, which cannot be joined this way; nothing changed.</summary>
    NotOpen,
}

/// <param name="Conversation">The conversation with its members; null only for
/// <see cref="OpenConversationJoinStatus.NotOpen"/>.</param>
public sealed record OpenConversationJoin(OpenConversationJoinStatus Status, Conversation? Conversation)
{
    internal static readonly OpenConversationJoin NotOpen = new(OpenConversationJoinStatus.NotOpen, null);
}
