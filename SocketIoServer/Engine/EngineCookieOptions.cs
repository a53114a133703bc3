using System.Globalization;
using System.Text;

namespace SocketIoServer.Engine;

/// <summary>
/// The cookie holding the session id that the handshake response sets (Node.js <c>cookie</c> option), e.g. for
/// sticky sessions behind a load balancer. Defaults are Node.js's: <c>io</c>, path <c>/</c>, HttpOnly, SameSite=Lax.
/// </summary>
public sealed class EngineCookieOptions
{
    public string Name { get; set; } = "io";

    /// <summary>Cookie path; null leaves it out. Default <c>/</c>.</summary>
    public string? Path { get; set; } = "/";

    public string? Domain { get; set; }

    public TimeSpan? MaxAge { get; set; }

    public DateTimeOffset? Expires { get; set; }

    public bool HttpOnly { get; set; } = true;

    public bool Secure { get; set; }

    public bool Partitioned { get; set; }

    /// <summary><c>Strict</c>, <c>Lax</c> (default), <c>None</c>, or null to leave it out.</summary>
    public string? SameSite { get; set; } = "Lax";

    internal void Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name.Any(c => c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}".Contains(c)))
            throw new InvalidOperationException($"EngineOptions.Cookie.Name: '{Name}' is not a valid cookie name.");
        if (SameSite is not (null or "Strict" or "Lax" or "None"))
            throw new InvalidOperationException($"EngineOptions.Cookie.SameSite: '{SameSite}' is not Strict, Lax or None.");
    }

    /// <summary>The <c>Set-Cookie</c> value, in the attribute order of the npm <c>cookie</c> package's serialize.</summary>
    internal string Serialize(string sid)
    {
        var text = new StringBuilder(Name).Append('=').Append(Uri.EscapeDataString(sid));
        if (MaxAge is { } maxAge) text.Append("; Max-Age=").Append(((long)Math.Floor(maxAge.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        if (Domain is { } domain) text.Append("; Domain=").Append(domain);
        if (Path is { } path) text.Append("; Path=").Append(path);
        if (Expires is { } expires) text.Append("; Expires=").Append(expires.UtcDateTime.ToString("R", CultureInfo.InvariantCulture));
        if (HttpOnly) text.Append("; HttpOnly");
        if (Secure) text.Append("; Secure");
        if (Partitioned) text.Append("; Partitioned");
        if (SameSite is { } sameSite) text.Append("; SameSite=").Append(sameSite);
        return text.ToString();
    }
}
