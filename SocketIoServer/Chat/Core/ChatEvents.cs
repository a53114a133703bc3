using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Chat.Core;

/// <summary>
/// What happened in the chat, once, as the core sees it. Each vocabulary turns an event into its own broadcasts
/// (<see cref="IChatVocabulary.PublishAsync"/>), so a new vocabulary needs no change to the core.
/// </summary>
public abstract record ChatEvent;

/// <summary>A message was stored (never for a duplicate): every vocabulary announces it to the conversation.</summary>
public sealed record MessageCreated(ChatMessage Message, ChatUser Sender) : ChatEvent;

/// <summary>A member started or stopped typing; <see cref="OriginSocketId"/> is left out of the broadcast.</summary>
public sealed record TypingChanged(string ConversationId, ChatUser User, bool IsTyping, string OriginSocketId) : ChatEvent;

/// <summary>A member's read cursor moved forward.</summary>
public sealed record ReceiptUpdated(string ConversationId, string MessageId, string UserId, DateTimeOffset ReadAt) : ChatEvent;

/// <summary>A user came online or went offline; <see cref="ContactIds"/> are the users who share a dm or group with them.</summary>
public sealed record PresenceChanged(string UserId, bool Online, DateTimeOffset At, IReadOnlyList<string> ContactIds) : ChatEvent;

/// <summary>
/// A conversation's metadata or members changed; <see cref="NotifiedUserIds"/> are its members and anyone just removed,
/// <see cref="AddedUserIds"/> those just added (all members when it was created), <see cref="ActorId"/> who did it.
/// </summary>
public sealed record ChatChanged(Conversation Conversation, IReadOnlyList<string> NotifiedUserIds) : ChatEvent
{
    public IReadOnlyList<string> AddedUserIds { get; init; } = [];

    public string? ActorId { get; init; }
}

/// <summary>The sender deleted a message.</summary>
public sealed record MessageDeleted(ChatMessage Message) : ChatEvent;

/// <summary>
/// A message that is delivered and never stored (seed 000's open rooms, CONTRACTS.md section 4): the room's sockets
/// get it once, and no vocabulary keeps it. <see cref="Id"/> is made by the sender's vocabulary.
/// </summary>
public sealed record EphemeralMessageSent(string Id, string ConversationId, ChatUser Sender, string Body, string MessageType, DateTimeOffset CreatedAt)
    : ChatEvent;
