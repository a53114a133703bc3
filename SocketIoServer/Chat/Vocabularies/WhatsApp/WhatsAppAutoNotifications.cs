using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>
/// The notifications seed 003's types name for what happens on this server besides new messages: <c>mention</c> (a
/// message names a participant as <c>@id</c> or <c>@name</c>), <c>group_invite</c> (added to a group, or to a new
/// one), <c>group_update</c> (a group's title changed). The types that name features this server does not have
/// (reactions, contacts, calls, forwarding) and <c>system</c> are created through <see cref="WhatsAppNotifications"/>.
/// </summary>
public sealed partial class WhatsAppAutoNotifications(IChatStore store, WhatsAppNotifications notifications)
{
    [GeneratedRegex(@"@([\p{L}\p{N}_.\-]+)")]
    private static partial Regex MentionPattern();

    /// <summary>The participants (the sender aside) a message mentions, by user id or display name (case-insensitive).</summary>
    public async Task MentionsAsync(MessageCreated created, Conversation conversation, CancellationToken cancellationToken)
    {
        var names = MentionPattern().Matches(created.Message.Body).Select(m => m.Groups[1].Value.TrimEnd('.', '-'))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (names.Count == 0) return;
        var others = conversation.MemberIds.Where(m => m != created.Sender.Id).ToList();
        var users = await store.GetUsersAsync(others, cancellationToken);
        var byName = users.ToDictionary(u => u.Id, u => u.DisplayName, StringComparer.Ordinal);
        foreach (var userId in others)
        {
            var mentioned = names.Contains(userId) || (byName.TryGetValue(userId, out var name) && names.Contains(name.Replace(' ', '_')));
            if (!mentioned) continue;
            await notifications.CreateAsync(new NewNotification(userId, "mention", "high", NotificationKinds.Types["mention"],
                $"{created.Sender.DisplayName} mentioned you", Data(conversation, created.Sender.Id, created.Message.Id),
                $"/conversations/{conversation.Id}"), cancellationToken);
        }
    }

    /// <summary>Group invitations for those added, and an update notice for the other members when the title changed.</summary>
    public async Task ChatChangedAsync(ChatChanged changed, CancellationToken cancellationToken)
    {
        var conversation = changed.Conversation;
        if (conversation.Kind != ConversationKind.Group) return;
        var title = conversation.Title ?? "a group";
        foreach (var userId in changed.AddedUserIds.Where(u => u != changed.ActorId))
        {
            await notifications.CreateAsync(new NewNotification(userId, "group_invite", "normal", NotificationKinds.Types["group_invite"],
                $"You were added to {title}", Data(conversation, changed.ActorId, null), $"/conversations/{conversation.Id}"), cancellationToken);
        }
        if (changed.AddedUserIds.Count > 0) return; // those added were invited; the others learn it from chat:update
        foreach (var userId in conversation.MemberIds.Where(m => m != changed.ActorId))
        {
            await notifications.CreateAsync(new NewNotification(userId, "group_update", "low", NotificationKinds.Types["group_update"],
                $"{title} was updated", Data(conversation, changed.ActorId, null), $"/conversations/{conversation.Id}"), cancellationToken);
        }
    }

    private static string Data(Conversation conversation, string? actorId, string? messageId)
    {
        var data = new JsonObject { ["conversationId"] = conversation.Id, ["title"] = conversation.Title, ["by"] = actorId };
        if (messageId is not null) data["messageId"] = messageId;
        return data.ToJsonString();
    }
}
