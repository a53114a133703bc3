namespace SocketIoServer.Chat.Storage;

public enum MembershipChangeStatus
{
    /// <summary>The member was added (or removed): the caller broadcasts <c>chat:update</c>.</summary>
    Changed,

    /// <summary>Already a member (or already not one); nothing changed.</summary>
    Unchanged,

    ConversationNotFound,
}

/// <param name="Conversation">The conversation after the change; null only for
/// <see cref="MembershipChangeStatus.ConversationNotFound"/>.</param>
public sealed record MembershipChange(MembershipChangeStatus Status, Conversation? Conversation)
{
    internal static readonly MembershipChange NotFound = new(MembershipChangeStatus.ConversationNotFound, null);
}
