using System.Diagnostics.CodeAnalysis;

namespace SocketIoServer.Chat.Storage;

public enum MessageInsertStatus
{
    /// <summary>Stored now: the caller broadcasts it.</summary>
    Inserted,

    /// <summary>
    /// The sender already stored a message with this client id (a retry, perhaps after a restart or racing the
    /// first attempt): <see cref="MessageInsertResult.Message"/> is that message, and nothing is broadcast again.
    /// It may belong to another conversation or carry another body than the retry did; the first one wins.
    /// </summary>
    Duplicate,

    /// <summary>The sender is not a member of the conversation, or there is no such conversation. Nothing stored.</summary>
    NotMember,
}

/// <param name="Message">The stored message; null only for <see cref="MessageInsertStatus.NotMember"/>.</param>
public sealed record MessageInsertResult(MessageInsertStatus Status, ChatMessage? Message)
{
    [MemberNotNullWhen(true, nameof(Message))]
    public bool IsStored => Message is not null;

    internal static MessageInsertResult Inserted(ChatMessage message) => new(MessageInsertStatus.Inserted, message);

    internal static MessageInsertResult Duplicate(ChatMessage message) => new(MessageInsertStatus.Duplicate, message);

    internal static readonly MessageInsertResult NotMember = new(MessageInsertStatus.NotMember, null);
}
