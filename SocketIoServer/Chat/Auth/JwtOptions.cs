namespace SocketIoServer.Chat.Auth;

/// <summary>
/// How the chat server checks tokens (CONTRACTS.md section 3): HS256 with <see cref="Secret"/>, <c>iss</c> and
/// <c>aud</c> checked when set. Bound from <c>JWT_SECRET</c>, <c>JWT_ISSUER</c>, <c>JWT_AUDIENCE</c>.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>The HMAC secret (its UTF-8 bytes, as Node's <c>jsonwebtoken</c> uses a string secret). Null: a random one per run.</summary>
    public string? Secret { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    internal void Validate()
    {
        if (Secret is { Length: 0 }) throw new InvalidOperationException("JWT_SECRET is set but empty.");
    }
}
