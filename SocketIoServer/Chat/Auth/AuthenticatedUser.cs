namespace SocketIoServer.Chat.Auth;

/// <summary>The user a valid token names: its id and display name, taken from the claims as CONTRACTS.md section 3 orders them.</summary>
public sealed record AuthenticatedUser(string UserId, string DisplayName);
