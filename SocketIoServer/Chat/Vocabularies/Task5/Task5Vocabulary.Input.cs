using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Vocabularies.Task5;

public sealed partial class Task5Vocabulary
{
    /// <summary>
    /// The one value an event carries: bare, as the seed's client sends it (<c>emit('join-room', roomId)</c>), or as the
    /// object field <paramref name="field"/> (<c>{roomId}</c>, <c>{status}</c>), which is accepted too.
    /// </summary>
    private static string? Argument(JsonNode?[] args, string field, out string? error, int maxLength = 512)
    {
        var node = args.Length > 0 ? args[0] : null;
        if (node is JsonObject body) node = body[field];
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { } text && text.Trim().Length > 0)
        {
            error = text.Length <= maxLength ? null : $"{field} must be at most {maxLength} characters";
            return error is null ? text : null;
        }
        error = $"{field} is required and must be a non-empty string";
        return null;
    }

    private static string RequireArgument(JsonNode?[] args, string field, int maxLength = 512) =>
        Argument(args, field, out var error, maxLength) ?? throw ChatRefusal.Of(ChatErrorCode.ValidationError, error!);

    /// <summary><c>mark-read</c>'s ids: an array of 0..1000 non-empty strings (or <c>{messageIds}</c>); repeats count once.</summary>
    private static IReadOnlyList<string> MessageIds(JsonNode?[] args)
    {
        var node = args.Length > 0 ? args[0] : null;
        if (node is JsonObject body) node = body["messageIds"];
        if (node is not JsonArray array) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "messageIds must be an array of message ids");
        var ids = new List<string>(array.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array)
        {
            if (item is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>() is not { Length: > 0 and <= 512 } id)
                throw ChatRefusal.Of(ChatErrorCode.ValidationError, "messageIds must be an array of non-empty strings");
            if (seen.Add(id)) ids.Add(id);
        }
        if (ids.Count > MaxReadIds) throw ChatRefusal.Of(ChatErrorCode.ValidationError, $"messageIds may name at most {MaxReadIds} messages");
        return ids;
    }

    private static string Require(string? value, string? error) =>
        value ?? throw ChatRefusal.Of(ChatErrorCode.ValidationError, error!);

}
