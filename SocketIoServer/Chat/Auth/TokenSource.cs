using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Auth;

/// <summary>Where a socket's token comes from, in CONTRACTS.md section 3's order: <c>auth.token</c>, the <c>token</c> query parameter, an <c>Authorization: Bearer</c> header.</summary>
public static class TokenSource
{
    public static string? Find(Handshake handshake)
    {
        if (handshake.Auth["token"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && value.GetValue<string>() is { Length: > 0 } fromAuth)
            return fromAuth;
        if (handshake.Query.TryGetValue("token", out var fromQuery) && fromQuery.Length > 0) return fromQuery;
        if (handshake.Headers.TryGetValue("authorization", out var header)
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7)
            return header[7..].Trim();
        return null;
    }
}
