using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Chat.Vocabularies.DeedO;

/// <summary>
/// Seed 004's "Email Notifications for Offline Users": after a message is stored and broadcast, one e-mail per member
/// of the group who is neither the sender nor online goes into the store's outbox, and the mail sender is woken.
/// The outbox is what makes a slow or failing mail server harmless: the message never waits for it.
/// </summary>
public sealed class DeedOMailOutbox(ChatService chat, DeedOMailSignal signal)
{
    /// <summary>Queues the e-mails about <paramref name="message"/>; returns how many were queued.</summary>
    public async Task<int> QueueAsync(ChatUser sender, ChatMessage message, int attachmentCount, CancellationToken cancellationToken)
    {
        var group = await chat.Store.GetConversationAsync(message.ConversationId, cancellationToken);
        if (group is null) return 0;
        // offline on every node: a member connected anywhere in the cluster gets the message, not an e-mail
        var offline = new List<string>();
        foreach (var id in group.MemberIds)
            if (id != sender.Id && !await chat.Presence.IsOnlineAsync(id, cancellationToken)) offline.Add(id);
        if (offline.Count == 0) return 0;
        var where = group.Title is { Length: > 0 } title ? $"\"{title}\""
            : group.Kind == ConversationKind.Dm ? "a direct message" : "a group";
        var subject = $"New message from {sender.DisplayName} in {where}";
        var body = $"{sender.DisplayName} wrote in {where}:\r\n\r\n{message.Body}\r\n";
        if (attachmentCount > 0) body += $"\r\n({attachmentCount} attachment{(attachmentCount == 1 ? "" : "s")})\r\n";
        var queued = await chat.Store.EnqueueEmailsAsync(
            [.. offline.Select(recipient => new NewOutboxEmail(message.Id, message.ConversationId, recipient, subject, body))], cancellationToken);
        if (queued > 0) signal.Notify();
        return queued;
    }
}
