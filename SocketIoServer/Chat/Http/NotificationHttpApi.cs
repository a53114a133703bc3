using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SocketIoServer.Chat.Auth;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Chat.Vocabularies.WhatsApp;

namespace SocketIoServer.Chat.Http;

/// <summary>
/// Seed 003's notification endpoints (CONTRACTS.md section 5), JWT bearer, bare JSON bodies, the one error shape.
/// Each change tells the user's <c>/notifications</c> sockets the new unread count.
/// </summary>
public sealed class NotificationHttpApi(ChatService chat, WhatsAppNotifications notifications, AuthenticatedEndpoint authenticated)
{
    private const int DefaultLimit = 50;

    private IChatStore Store => chat.Store;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/notifications", (Func<HttpContext, Task<IResult>>)(c => authenticated.RunAsync(c, user => ListAsync(c, user))));
        app.MapGet("/api/notifications/unread", (Func<HttpContext, Task<IResult>>)(c => authenticated.RunAsync(c, UnreadAsync)));
        app.MapPost("/api/notifications/mark-all-read", (Func<HttpContext, Task<IResult>>)(c => authenticated.RunAsync(c, MarkAllReadAsync)));
        app.MapDelete("/api/notifications", (Func<HttpContext, Task<IResult>>)(c => authenticated.RunAsync(c, DeleteAllAsync)));
        app.MapGet("/api/notifications/{id}", (HttpContext c, string id) => authenticated.RunAsync(c, user => GetAsync(user, id)));
        app.MapPost("/api/notifications/{id}/read", (HttpContext c, string id) => authenticated.RunAsync(c, user => ReadAsync(user, id)));
        app.MapDelete("/api/notifications/{id}", (HttpContext c, string id) => authenticated.RunAsync(c, user => DeleteAsync(user, id)));
    }


    /// <summary><c>GET /api/notifications?limit=1..200&amp;unread=true&amp;type=...</c> → an array, newest first.</summary>
    private async Task<IResult> ListAsync(HttpContext context, AuthenticatedUser user)
    {
        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < MessageQuery.MinLimit or > MessageQuery.MaxLimit))
            throw ChatRefusal.Of(ChatErrorCode.ValidationError, $"limit must be a whole number from {MessageQuery.MinLimit} to {MessageQuery.MaxLimit}");
        var unread = query["unread"].ToString() is "true" or "1";
        var type = query["type"].ToString() is { Length: > 0 } t ? t : null;
        if (type is not null && !NotificationKinds.Types.ContainsKey(type))
            throw ChatRefusal.Of(ChatErrorCode.ValidationError, $"type must be one of {string.Join(", ", NotificationKinds.Types.Keys)}");
        var list = await Store.ListNotificationsAsync(user.UserId, unread, type, limit, context.RequestAborted);
        return Results.Json(new JsonArray([.. list.Select(n => (JsonNode)WhatsAppShapes.Notification(n))]));
    }

    private async Task<IResult> UnreadAsync(AuthenticatedUser user) =>
        Results.Json(new JsonObject { ["count"] = await Store.CountUnreadNotificationsAsync(user.UserId, CancellationToken.None) });

    private async Task<IResult> GetAsync(AuthenticatedUser user, string id) =>
        Results.Json(WhatsAppShapes.Notification(await Store.GetNotificationAsync(user.UserId, id, CancellationToken.None) ?? throw NotFound()));

    private async Task<IResult> ReadAsync(AuthenticatedUser user, string id)
    {
        var read = await Store.MarkNotificationReadAsync(user.UserId, id, CancellationToken.None) ?? throw NotFound();
        await notifications.SendUnreadAsync(user.UserId);
        return Results.Json(WhatsAppShapes.Notification(read));
    }

    private async Task<IResult> MarkAllReadAsync(AuthenticatedUser user)
    {
        var count = await Store.MarkAllNotificationsReadAsync(user.UserId, CancellationToken.None);
        await notifications.SendUnreadAsync(user.UserId);
        return Results.Json(new JsonObject { ["count"] = count });
    }

    private async Task<IResult> DeleteAsync(AuthenticatedUser user, string id)
    {
        if (!await Store.DeleteNotificationAsync(user.UserId, id, CancellationToken.None)) throw NotFound();
        await notifications.SendUnreadAsync(user.UserId);
        return Results.NoContent();
    }

    private async Task<IResult> DeleteAllAsync(AuthenticatedUser user)
    {
        var count = await Store.DeleteAllNotificationsAsync(user.UserId, CancellationToken.None);
        await notifications.SendUnreadAsync(user.UserId);
        return Results.Json(new JsonObject { ["count"] = count });
    }

    private static ChatRefusal NotFound() => ChatRefusal.Of(ChatErrorCode.NotFound, "Notification not found");


}
