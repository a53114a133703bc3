using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SocketIoServer.Chat.Auth;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Chat.Vocabularies.Famly;

namespace SocketIoServer.Chat.Http;

/// <summary>
/// The HTTP API of CONTRACTS.md section 5 (JWT bearer, JSON, bare bodies): chats, their members, message backfill,
/// message deletion. Every change is announced through the chat core, as a socket event would be.
/// </summary>
public sealed class ChatHttpApi(ChatService chat, AuthenticatedEndpoint authenticated)
{
    private const int MaxTitleLength = 200;
    private const int MaxMembers = 1000;
    private const int DefaultLimit = 50;

    private IChatStore Store => chat.Store;

    public void Map(IEndpointRouteBuilder app)
    {
        // (typed, so that minimal APIs write the returned result rather than take the lambda for a RequestDelegate)
        app.MapPost("/v1/chats", (Func<HttpContext, Task<IResult>>)(c => authenticated.RunAsync(c, CreateChatAsync)));
        app.MapGet("/v1/chats", (Func<HttpContext, Task<IResult>>)(c => authenticated.RunAsync(c, ListChatsAsync)));
        app.MapGet("/v1/chats/{chatId}", (HttpContext c, string chatId) => authenticated.RunAsync(c, user => GetChatAsync(user, chatId)));
        app.MapMethods("/v1/chats/{chatId}", ["PATCH"], (HttpContext c, string chatId) => authenticated.RunAsync(c, user => UpdateChatAsync(c, user, chatId)));
        app.MapPost("/v1/chats/{chatId}/members", (HttpContext c, string chatId) => authenticated.RunAsync(c, user => AddMemberAsync(c, user, chatId)));
        app.MapDelete("/v1/chats/{chatId}/members/{userId}", (HttpContext c, string chatId, string userId) => authenticated.RunAsync(c, user => RemoveMemberAsync(user, chatId, userId)));
        app.MapGet("/v1/chats/{chatId}/messages", (HttpContext c, string chatId) => authenticated.RunAsync(c, user => ListMessagesAsync(c, user, chatId)));
        app.MapDelete("/v1/messages/{messageId}", (HttpContext c, string messageId) => authenticated.RunAsync(c, user => DeleteMessageAsync(user, messageId)));
    }



    private async Task<IResult> CreateChatAsync(HttpContext context, AuthenticatedUser user)
    {
        var body = await ReadObjectAsync(context);
        var kind = (body["type"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? body["type"]!.GetValue<string>() : null;
        if (kind is not ("dm" or "group")) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "type must be \"dm\" or \"group\"");
        var title = OptionalTitle(body);
        if (body["memberIds"] is not JsonArray list || list.Count > MaxMembers
            || list.Any(m => m is not JsonValue v || v.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetValue<string>())))
            throw ChatRefusal.Of(ChatErrorCode.ValidationError, $"memberIds must be an array of at most {MaxMembers} user ids");
        var members = list.Select(m => m!.GetValue<string>()).Where(m => m != user.UserId).Distinct(StringComparer.Ordinal).ToList();
        if (kind == "dm" && members.Count != 1) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "a dm has exactly one other member");
        if (kind == "group" && members.Count == 0) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "a group needs at least one other member");

        await Store.UpsertUserAsync(user.UserId, user.DisplayName, context.RequestAborted);
        var conversation = await Store.CreateConversationAsync(
            new NewConversation(kind == "dm" ? ConversationKind.Dm : ConversationKind.Group, title, user.UserId, members), context.RequestAborted);
        await chat.ConversationChangedAsync(conversation, conversation.MemberIds.ToList(), [], user.UserId);
        return Results.Json(FamlyShapes.Chat(conversation), statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> ListChatsAsync(AuthenticatedUser user)
    {
        var conversations = await Store.ListConversationsAsync(user.UserId, CancellationToken.None);
        return Results.Json(new JsonArray([.. conversations.Where(c => c.Kind != ConversationKind.Open).Select(c => (JsonNode)FamlyShapes.Chat(c))]));
    }

    private async Task<IResult> GetChatAsync(AuthenticatedUser user, string chatId) =>
        Results.Json(FamlyShapes.Chat(await MemberConversationAsync(user, chatId)));

    private async Task<IResult> UpdateChatAsync(HttpContext context, AuthenticatedUser user, string chatId)
    {
        var body = await ReadObjectAsync(context);
        if (!body.ContainsKey("title")) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "title is required (a string, or null to clear it)");
        var title = OptionalTitle(body);
        await MemberConversationAsync(user, chatId);
        var updated = await Store.UpdateTitleAsync(chatId, title, context.RequestAborted) ?? throw ChatRefusal.Of(ChatErrorCode.NotFound, "Chat not found");
        await chat.ConversationChangedAsync(updated, [], [], user.UserId);
        return Results.Json(FamlyShapes.Chat(updated));
    }

    private async Task<IResult> AddMemberAsync(HttpContext context, AuthenticatedUser user, string chatId)
    {
        var body = await ReadObjectAsync(context);
        var userId = (body["userId"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? body["userId"]!.GetValue<string>() : null;
        if (string.IsNullOrWhiteSpace(userId)) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "userId is required and must be a non-empty string");
        var conversation = await MemberConversationAsync(user, chatId);
        if (conversation.Kind == ConversationKind.Dm) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "a dm's members cannot change");
        var change = await Store.AddMemberAsync(chatId, userId, context.RequestAborted);
        if (change.Status == MembershipChangeStatus.ConversationNotFound) throw ChatRefusal.Of(ChatErrorCode.NotFound, "Chat not found");
        if (change.Status == MembershipChangeStatus.Changed) await chat.ConversationChangedAsync(change.Conversation!, [userId], [], user.UserId);
        return Results.Json(FamlyShapes.Chat(change.Conversation!));
    }

    private async Task<IResult> RemoveMemberAsync(AuthenticatedUser user, string chatId, string userId)
    {
        var conversation = await MemberConversationAsync(user, chatId);
        if (conversation.Kind == ConversationKind.Dm) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "a dm's members cannot change");
        var change = await Store.RemoveMemberAsync(chatId, userId, CancellationToken.None);
        if (change.Status == MembershipChangeStatus.ConversationNotFound) throw ChatRefusal.Of(ChatErrorCode.NotFound, "Chat not found");
        if (change.Status == MembershipChangeStatus.Unchanged) throw ChatRefusal.Of(ChatErrorCode.NotFound, "Not a member of this chat");
        await chat.ConversationChangedAsync(change.Conversation!, [], [userId], user.UserId);
        return Results.Json(FamlyShapes.Chat(change.Conversation!));
    }

    private async Task<IResult> ListMessagesAsync(HttpContext context, AuthenticatedUser user, string chatId)
    {
        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < MessageQuery.MinLimit or > MessageQuery.MaxLimit))
            throw ChatRefusal.Of(ChatErrorCode.ValidationError, $"limit must be a whole number from {MessageQuery.MinLimit} to {MessageQuery.MaxLimit}");

        MessageQuery messageQuery;
        var after = query["after"].ToString();
        if (after.Length == 0) messageQuery = MessageQuery.Newest(limit);
        else if (DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && after.Contains('-'))
            messageQuery = MessageQuery.After(time, limit);
        else messageQuery = MessageQuery.After(after, limit);

        var page = await Store.ListMessagesAsync(chatId, user.UserId, messageQuery, context.RequestAborted);
        return page.Status switch
        {
            MessagePageStatus.NotMember => throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Not a member of this chat"),
            MessagePageStatus.AfterMessageNotFound => throw ChatRefusal.Of(ChatErrorCode.NotFound, "No such message in this chat"),
            _ => Results.Json(new JsonArray([.. page.Messages.Select(m => (JsonNode)FamlyShapes.Message(m))])),
        };
    }

    private async Task<IResult> DeleteMessageAsync(AuthenticatedUser user, string messageId)
    {
        var deletion = await Store.DeleteMessageAsync(messageId, user.UserId, CancellationToken.None);
        switch (deletion.Status)
        {
            case MessageDeletionStatus.NotFound:
                throw ChatRefusal.Of(ChatErrorCode.NotFound, "Message not found");
            case MessageDeletionStatus.NotSender:
                throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Only the sender may delete a message");
            case MessageDeletionStatus.Deleted:
                await chat.PublishAsync(new MessageDeleted(deletion.Message!));
                break;
        }
        return Results.NoContent();
    }

    /// <summary>The conversation, when the caller is a member; a non-member (or an unknown chat) learns nothing: 403.</summary>
    private async Task<Conversation> MemberConversationAsync(AuthenticatedUser user, string chatId)
    {
        var conversation = await Store.GetConversationAsync(chatId, CancellationToken.None);
        if (conversation is null || !conversation.MemberIds.Contains(user.UserId, StringComparer.Ordinal))
            throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Not a member of this chat");
        return conversation;
    }

    private static string? OptionalTitle(JsonObject body)
    {
        var node = body["title"];
        if (node is null) return null;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length > MaxTitleLength)
            throw ChatRefusal.Of(ChatErrorCode.ValidationError, $"title must be a string of at most {MaxTitleLength} characters, or null");
        return v.GetValue<string>();
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
                ?? throw ChatRefusal.Of(ChatErrorCode.ValidationError, "the body must be a JSON object");
        }
        catch (JsonException)
        {
            throw ChatRefusal.Of(ChatErrorCode.ValidationError, "the body must be a JSON object");
        }
    }


}
