using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIoServer.Chat.Core;

/// <summary>
/// Reads the object an event carries, field by field, without trusting it: a missing field, a field of the wrong
/// type or an over-long one is a validation error naming the field, never an exception from deep inside.
/// </summary>
public sealed class EventPayload(JsonObject? body)
{
    public static EventPayload Of(JsonNode?[] args) => new(args.Length > 0 ? args[0] as JsonObject : null);

    /// <summary>Whether the event carried an object at all.</summary>
    public bool IsObject => body is not null;

    /// <summary>A required non-empty string; null (with <paramref name="error"/> set) when it is not one.</summary>
    /// <param name="allowBlank">Whether white space alone counts (a message body of one space is one character).</param>
    public string? RequiredString(string field, out string? error, int maxLength = 512, bool allowBlank = false)
    {
        error = null;
        if (body?[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && value.GetValue<string>() is { Length: > 0 } text && (allowBlank || text.Trim().Length > 0))
        {
            if (text.Length <= maxLength) return text;
            error = $"{field} must be at most {maxLength} characters";
            return null;
        }
        error = $"{field} is required and must be a non-empty string";
        return null;
    }

    /// <summary>A required non-empty string; a <see cref="ChatRefusal"/> (<c>VALIDATION_ERROR</c> naming the field) when it is not one.</summary>
    public string Require(string field, int maxLength = 512) =>
        RequiredString(field, out var error, maxLength) ?? throw ChatRefusal.Of(ChatErrorCode.ValidationError, error!);

    /// <summary>An optional string: null when absent or null; <paramref name="error"/> set when present with another type.</summary>
    public string? OptionalString(string field, out string? error)
    {
        error = null;
        var node = body?[field];
        if (node is null) return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String) return value.GetValue<string>();
        error = $"{field} must be a string";
        return null;
    }

    public JsonNode? this[string field] => body?[field];
}
