using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIoServer.Chat.Auth;

/// <summary>
/// Verifies and issues HS256 JSON Web Tokens. Written out rather than taken from Microsoft.IdentityModel because
/// that library refuses HMAC keys under 256 bits, while the Node.js servers this one replaces (jsonwebtoken) accept
/// any secret: a deployment's existing JWT_SECRET must keep working. Only HS256 is accepted: <c>alg: none</c> and
/// every other algorithm are refused before the signature is looked at.
/// </summary>
public sealed class Hs256Jwt
{
    private readonly byte[] _key;
    private readonly string? _issuer;
    private readonly string? _audience;
    private readonly TimeProvider _time;

    public Hs256Jwt(string secret, string? issuer = null, string? audience = null, TimeProvider? time = null)
    {
        _key = Encoding.UTF8.GetBytes(secret);
        _issuer = issuer;
        _audience = audience;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The user a token names, or why it is refused.</summary>
    public (AuthenticatedUser? User, AuthFailure? Failure) Validate(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return (null, AuthFailure.MissingToken);
        var parts = token.Split('.');
        if (parts.Length != 3) return (null, AuthFailure.InvalidToken);

        if (Decode(parts[0]) is not JsonObject header || header["alg"] is not JsonValue alg
            || alg.GetValueKind() != JsonValueKind.String || alg.GetValue<string>() != "HS256")
            return (null, AuthFailure.InvalidToken);
        if (!SignatureMatches(parts[0], parts[1], parts[2])) return (null, AuthFailure.InvalidToken);
        if (Decode(parts[1]) is not JsonObject claims) return (null, AuthFailure.InvalidToken);

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (claims["exp"] is { } exp)
        {
            if (!TryGetSeconds(exp, out var expiry)) return (null, AuthFailure.InvalidToken);
            if (now >= expiry) return (null, AuthFailure.ExpiredToken); // jsonwebtoken: expired when now >= exp
        }
        if (claims["nbf"] is { } nbf)
        {
            // a token not valid yet is "invalid", not "expired" (CONTRACTS.md section 8)
            if (!TryGetSeconds(nbf, out var notBefore) || now < notBefore) return (null, AuthFailure.InvalidToken);
        }
        if (_issuer is not null && !(claims["iss"] is JsonValue iss && iss.GetValueKind() == JsonValueKind.String && iss.GetValue<string>() == _issuer))
            return (null, AuthFailure.InvalidToken);
        if (_audience is not null && !AudienceMatches(claims["aud"])) return (null, AuthFailure.InvalidToken);

        return UserOf(claims) is { } user ? (user, null) : (null, AuthFailure.InvalidToken);
    }

    /// <summary>Issues a token (the demo token of the embedded default, and tests).</summary>
    public string Issue(JsonObject claims)
    {
        var header = ToBase64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = ToBase64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = ToBase64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }

    /// <summary>User id: <c>sub</c>, else <c>userId</c>, else <c>id</c>; name: <c>username</c>, <c>name</c>, <c>preferred_username</c>, else the id.</summary>
    internal static AuthenticatedUser? UserOf(JsonObject claims)
    {
        var id = ClaimText(claims["sub"]) ?? ClaimText(claims["userId"]) ?? ClaimText(claims["id"]);
        if (string.IsNullOrEmpty(id)) return null;
        var name = ClaimText(claims["username"]) ?? ClaimText(claims["name"]) ?? ClaimText(claims["preferred_username"]);
        return new AuthenticatedUser(id, string.IsNullOrEmpty(name) ? id : name);
    }

    /// <summary>A string claim as it is, a number as its decimal string (integers without a fraction); anything else null.</summary>
    private static string? ClaimText(JsonNode? node)
    {
        if (node is not JsonValue value) return null;
        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.TryGetValue<long>(out var l) ? l.ToString(CultureInfo.InvariantCulture)
                : value.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    private bool AudienceMatches(JsonNode? aud) => aud switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() == _audience,
        JsonArray list => list.Any(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == _audience),
        _ => false,
    };

    private static bool TryGetSeconds(JsonNode node, out double seconds)
    {
        seconds = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out seconds) && double.IsFinite(seconds);
    }

    private bool SignatureMatches(string header, string payload, string signature)
    {
        var expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(header + "." + payload));
        var given = FromBase64Url(signature);
        return given is not null && CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static JsonNode? Decode(string part)
    {
        var bytes = FromBase64Url(part);
        if (bytes is null) return null;
        try
        {
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[]? FromBase64Url(string text)
    {
        if (text.Length == 0 || !System.Buffers.Text.Base64Url.IsValid(text)) return null;
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string ToBase64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
