using System.Globalization;
using System.Text;
using Npgsql;

namespace SocketIoServer.Chat.Storage;

/// <summary>
/// Turns <c>DATABASE_URL</c> into an Npgsql connection string. Three forms are accepted, as PostgreSQL hosts and
/// tools write them:
/// <list type="bullet">
/// <item>a URI, <c>postgres://user:password@host:port/database?sslmode=require</c> (or <c>postgresql://</c>; user,
/// password and database percent-encoded; several hosts as <c>host1:5432,host2:5433</c>; an IPv6 host in brackets;
/// a Unix socket directory as <c>?host=/var/run/postgresql</c>);</item>
/// <item>libpq key=value pairs separated by spaces, <c>host=localhost port=5432 dbname=chat user=chat</c> (values with
/// spaces in single quotes);</item>
/// <item>Npgsql's own form, <c>Host=localhost;Port=5432;Database=chat;Username=chat</c> (any string with a <c>;</c>).</item>
/// </list>
/// URI query parameters and libpq keys are the libpq names (<c>sslmode</c>, <c>sslrootcert</c>,
/// <c>connect_timeout</c>, <c>application_name</c>, ...); any other key must be an Npgsql connection string keyword.
/// A bad value throws <see cref="FormatException"/> with one line naming <c>DATABASE_URL</c> and never the password.
/// </summary>
public static class DatabaseUrl
{
    public const string SettingName = "DATABASE_URL";

    /// <summary>The Npgsql connection string for <paramref name="value"/>.</summary>
    /// <exception cref="FormatException">The value is not a PostgreSQL connection string this parser understands.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw Error("is empty");
        value = value.Trim();
        var builder = value.Contains("://", StringComparison.Ordinal) ? FromUri(value)
            : value.Contains(';', StringComparison.Ordinal) ? FromNpgsql(value)
            : FromKeyValuePairs(value);
        if (string.IsNullOrEmpty(builder.Host)) throw Error("names no host");
        return builder;
    }

    /// <summary>Where <paramref name="builder"/> connects, for logs: host, port, database and user, no password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Username ?? "(default user)"}@{builder.Host}:{builder.Port}/{builder.Database ?? "(default database)"}";

    private static NpgsqlConnectionStringBuilder FromUri(string value)
    {
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var scheme = value[..schemeEnd];
        if (!scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
            throw Error($"has scheme '{scheme}'; expected postgres:// or postgresql://");
        var rest = value[(schemeEnd + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();

        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart >= 0 ? rest[(queryStart + 1)..] : "";
        if (queryStart >= 0) rest = rest[..queryStart];
        var pathStart = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = pathStart >= 0 ? rest[..pathStart] : rest;
        var path = pathStart >= 0 ? rest[(pathStart + 1)..] : "";

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Decode(colon >= 0 ? userInfo[..colon] : userInfo, "user name");
            if (user.Length > 0) builder.Username = user;
            if (colon >= 0) builder.Password = Decode(userInfo[(colon + 1)..], "password");
        }
        if (authority.Length > 0) SetHosts(builder, authority);
        if (path.Length > 0) builder.Database = Decode(path, "database name");

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw Error($"has a query parameter without a value ('{Truncate(pair)}')");
            Set(builder, Decode(pair[..eq], "parameter name"), Decode(pair[(eq + 1)..], "parameter value"));
        }
        return builder;
    }

    /// <summary><c>host</c>, <c>host:port</c>, <c>[::1]:port</c>, or several of them separated by commas.</summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string authority)
    {
        var hosts = authority.Split(',');
        var parsed = new List<(string Host, int? Port)>();
        foreach (var entry in hosts)
        {
            string host;
            string? port = null;
            if (entry.StartsWith('['))
            {
                var close = entry.IndexOf(']', StringComparison.Ordinal);
                if (close < 0) throw Error("has an IPv6 host without its closing ']'");
                host = entry[1..close];
                var after = entry[(close + 1)..];
                if (after.Length > 0)
                {
                    if (after[0] != ':') throw Error("has characters after an IPv6 host");
                    port = after[1..];
                }
            }
            else
            {
                var colon = entry.LastIndexOf(':');
                host = colon >= 0 ? entry[..colon] : entry;
                port = colon >= 0 ? entry[(colon + 1)..] : null;
            }
            host = Decode(host, "host");
            if (host.Length == 0) throw Error("has an empty host");
            parsed.Add((host, port is null ? null : ParsePort(port)));
        }
        if (parsed.Count == 1)
        {
            builder.Host = parsed[0].Host;
            if (parsed[0].Port is { } p) builder.Port = p;
        }
        else
        {
            // Npgsql takes a host list in Host, each entry with its own port
            builder.Host = string.Join(',', parsed.Select(h => h.Port is { } p ? $"{Bracket(h.Host)}:{p}" : Bracket(h.Host)));
        }
    }

    private static string Bracket(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    private static NpgsqlConnectionStringBuilder FromNpgsql(string value)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            throw Error($"is not a valid Npgsql connection string ({FirstUnknownKey(value) ?? "malformed"})");
        }
    }

    /// <summary>libpq's <c>key=value key='quoted value'</c> form.</summary>
    private static NpgsqlConnectionStringBuilder FromKeyValuePairs(string value)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        var i = 0;
        while (true)
        {
            while (i < value.Length && char.IsWhiteSpace(value[i])) i++;
            if (i == value.Length) break;
            var keyStart = i;
            while (i < value.Length && value[i] != '=' && !char.IsWhiteSpace(value[i])) i++;
            var key = value[keyStart..i];
            while (i < value.Length && char.IsWhiteSpace(value[i])) i++;
            if (key.Length == 0 || i == value.Length || value[i] != '=')
                throw Error("is neither a postgres:// URI nor key=value pairs");
            i++;
            while (i < value.Length && char.IsWhiteSpace(value[i])) i++;
            var text = new StringBuilder();
            if (i < value.Length && value[i] == '\'')
            {
                i++;
                while (true)
                {
                    if (i == value.Length) throw Error($"has an unterminated quoted value for '{key}'");
                    if (value[i] == '\\' && i + 1 < value.Length) { text.Append(value[i + 1]); i += 2; continue; }
                    if (value[i] == '\'') { i++; break; }
                    text.Append(value[i++]);
                }
            }
            else
            {
                while (i < value.Length && !char.IsWhiteSpace(value[i]))
                {
                    if (value[i] == '\\' && i + 1 < value.Length) i++;
                    text.Append(value[i++]);
                }
            }
            Set(builder, key, text.ToString());
        }
        return builder;
    }

    /// <summary>Sets one libpq parameter, or else an Npgsql keyword of that name.</summary>
    private static void Set(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "host": builder.Host = value; break;
            case "port": builder.Port = ParsePort(value); break;
            case "dbname": builder.Database = value; break;
            case "user": builder.Username = value; break;
            case "password": builder.Password = value; break;
            case "sslmode": builder.SslMode = ParseSslMode(value); break;
            case "sslrootcert": builder.RootCertificate = value; break;
            case "sslcert": builder.SslCertificate = value; break;
            case "sslkey": builder.SslKey = value; break;
            case "sslpassword": builder.SslPassword = value; break;
            case "connect_timeout": builder.Timeout = ParseInt(value, key, 0, 1024); break;
            case "application_name": builder.ApplicationName = value; break;
            case "options": builder.Options = value; break;
            case "target_session_attrs": builder.TargetSessionAttributes = value; break;
            default:
                try
                {
                    builder[key] = value;
                }
                catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
                {
                    throw Error($"has an unknown parameter or bad value for '{Truncate(key)}'");
                }
                break;
        }
    }

    private static SslMode ParseSslMode(string value) => value switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw Error($"has sslmode '{Truncate(value)}'; expected disable, allow, prefer, require, verify-ca or verify-full"),
    };

    private static int ParsePort(string value) => ParseInt(value, "port", 1, 65535);

    private static int ParseInt(string value, string name, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw Error($"has {name} '{Truncate(value)}'; expected a number {min}..{max}");

    private static string Decode(string value, string what)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            throw Error($"has a badly percent-encoded {what}");
        }
    }

    /// <summary>The first key Npgsql does not know, to name in the error (values are never shown: one may be a password).</summary>
    private static string? FirstUnknownKey(string value)
    {
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return "a part without '='";
            var key = part[..eq].Trim();
            if (!IsKeyword(key)) return $"unknown key '{Truncate(key)}'";
        }
        return null;
    }

    private static bool IsKeyword(string key)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder { [key] = null };
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException)
        {
            return false;
        }
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";

    private static FormatException Error(string problem) =>
        new($"{SettingName} {problem} (expected postgres://user:password@host:port/database or Host=...;Database=...)");
}
