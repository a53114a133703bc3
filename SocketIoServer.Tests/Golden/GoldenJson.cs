using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SocketIoServer.Tests.Golden;

/// <summary>
/// One recorded case of protocol-fixtures/server-responses.json (or server-responses-eio3.json, the Engine.IO v3
/// cases): a name, a description and its steps.
/// </summary>
public sealed record GoldenCase(string Name, string Description, JsonArray Steps)
{
    public const string FixtureFile = "server-responses.json";

    public const string Eio3FixtureFile = "server-responses-eio3.json";

    private static readonly Lazy<IReadOnlyList<GoldenCase>> All = new(() => LoadAll(FixtureFile));

    private static readonly Lazy<IReadOnlyList<GoldenCase>> AllEio3 = new(() => LoadAll(Eio3FixtureFile));

    public static IReadOnlyList<GoldenCase> Cases => All.Value;

    public static IReadOnlyList<GoldenCase> Eio3Cases => AllEio3.Value;

    public static GoldenCase Get(string name) => Cases.Concat(Eio3Cases).Single(c => c.Name == name);

    private static IReadOnlyList<GoldenCase> LoadAll(string file)
    {
        // the test project copies protocol-fixtures/**/*.json next to the test assembly
        var path = Path.Combine(AppContext.BaseDirectory, "protocol-fixtures", file);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        return root.Select(c => new GoldenCase(
            (string)c!["name"]!,
            (string)c["description"]!,
            c["steps"]!.AsArray())).ToList();
    }
}

/// <summary>The fixture conventions: <c>{"$binary": base64}</c> for binary, placeholders for random ids.</summary>
public static partial class GoldenJson
{
    /// <summary>A text value (<c>string</c>) or a binary one (<c>byte[]</c>); null for anything else.</summary>
    public static object? Value(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o when o.Count == 1 && o["$binary"] is JsonValue b => Convert.FromBase64String((string)b!),
        _ => null,
    };

    /// <summary>Bytes as the generator's <c>bodyToFixture</c> sees them: text when valid UTF-8, else binary.</summary>
    public static object FromBody(byte[] body)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return body;
        }
    }

    /// <summary>A string with control characters escaped (the engine.io separator shows as \u001e).</summary>
    public static string Show(string s) => JsonSerializer.Serialize(s, ShowOptions);

    public static string Show(object? value) => value switch
    {
        string s => Show(s),
        byte[] b => "{$binary: " + Convert.ToBase64String(b) + "}",
        null => "(nothing)",
        _ => value.ToString()!,
    };

    private static readonly JsonSerializerOptions ShowOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex("<sid>|<socket-id>")]
    private static partial Regex PlaceholderRegex();

    /// <summary>Both ids are 20-character base64id strings (README: "Placeholders").</summary>
    private const string IdPattern = "[A-Za-z0-9_-]{20}";

    /// <summary>Replaces &lt;sid&gt; by the known session id (request paths, frames to send).</summary>
    public static string Fill(string template, GoldenIds ids) =>
        ids.Sid is null ? template : template.Replace("<sid>", ids.Sid, StringComparison.Ordinal);

    /// <summary>
    /// Matches <paramref name="actual"/> against a fixture string with placeholders. &lt;sid&gt; must be the known
    /// session id (or is captured on first sight); each &lt;socket-id&gt; captures a new socket id, which must differ
    /// from the session id. <paramref name="rendered"/> is the template with the values filled in.
    /// </summary>
    public static bool Match(string template, string actual, GoldenIds ids, out string rendered)
    {
        var pattern = new StringBuilder("^");
        var last = 0;
        var socketGroups = 0;
        var sidGroup = false;
        foreach (Match m in PlaceholderRegex().Matches(template))
        {
            pattern.Append(Regex.Escape(template[last..m.Index]));
            if (m.Value == "<sid>")
            {
                if (ids.Sid is not null) pattern.Append(Regex.Escape(ids.Sid));
                else if (sidGroup) pattern.Append(@"\k<sid>");
                else
                {
                    pattern.Append("(?<sid>").Append(IdPattern).Append(')');
                    sidGroup = true;
                }
            }
            else
            {
                pattern.Append("(?<s").Append(socketGroups++).Append('>').Append(IdPattern).Append(')');
            }
            last = m.Index + m.Length;
        }
        pattern.Append(Regex.Escape(template[last..])).Append('$');
        var match = Regex.Match(actual, pattern.ToString(), RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            rendered = Fill(template, ids);
            return false;
        }
        if (sidGroup) ids.Sid = match.Groups["sid"].Value;
        var socketIds = Enumerable.Range(0, socketGroups).Select(i => match.Groups["s" + i].Value).ToList();
        if (socketIds.Any(id => id == ids.Sid))
        {
            rendered = Fill(template, ids) + "   (a socket id must differ from the engine.io session id)";
            return false;
        }
        ids.SocketIds.AddRange(socketIds);
        rendered = actual;
        return true;
    }
}

/// <summary>The random ids our server handed out in one case.</summary>
public sealed class GoldenIds
{
    public string? Sid { get; set; }

    public List<string> SocketIds { get; } = [];
}
