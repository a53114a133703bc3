namespace SocketIoServer.Chat.Storage;

/// <summary>
/// A user as the chat server knows it: created or updated from the token's claims on connect (there is no sign-up
/// here), so <see cref="Id"/> is the token's user id and <see cref="DisplayName"/> its name claim.
/// </summary>
/// <param name="LastSeenAt">When the user last connected or pinged; null until then.</param>
public sealed record ChatUser(
    string Id,
    string DisplayName,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSeenAt);
