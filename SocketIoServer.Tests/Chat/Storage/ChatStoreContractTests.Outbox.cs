using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

public abstract partial class ChatStoreContractTests
{
    private static NewOutboxEmail Email(ChatMessage message, string recipient) =>
        new(message.Id, message.ConversationId, recipient, "New message", $"{message.SenderId}: {message.Body}");

    [Test]
    public async Task Outbox_queues_each_recipient_once_and_lists_them()
    {
        var group = await GroupAsync("alice", "bob", "carol");
        var message = await SendAsync(group, "alice", "hi all");

        Assert.That(await Store.EnqueueEmailsAsync([Email(message, "bob"), Email(message, "carol"), Email(message, "bob")], Ct), Is.EqualTo(2));
        Assert.That(await Store.EnqueueEmailsAsync([Email(message, "carol")], Ct), Is.Zero, "queued before: left as it is");
        Assert.That(await Store.EnqueueEmailsAsync([], Ct), Is.Zero);

        var emails = await Store.ListEmailsAsync(message.Id, Ct);
        Assert.That(emails.Select(e => e.RecipientId), Is.EqualTo(new[] { "bob", "carol" }));
        var bob = emails[0];
        Assert.Multiple(() =>
        {
            Assert.That(bob.MessageId, Is.EqualTo(message.Id));
            Assert.That(bob.ConversationId, Is.EqualTo(group.Id));
            Assert.That(bob.Subject, Is.EqualTo("New message"));
            Assert.That(bob.Body, Is.EqualTo("alice: hi all"));
            Assert.That(bob.CreatedAt, Is.EqualTo(T0));
            Assert.That(bob.NextAttemptAt, Is.EqualTo(T0), "due at once");
            Assert.That(bob.Attempts, Is.Zero);
            Assert.That(bob.SentAt, Is.Null);
            Assert.That(bob.LastError, Is.Null);
        });
        Assert.That(await Store.ListEmailsAsync("0123456789abcdef01234567", Ct), Is.Empty);
    }

    [Test]
    public async Task Outbox_claims_due_emails_oldest_first_and_a_claim_runs_out()
    {
        var group = await GroupAsync("alice", "bob", "carol", "dave");
        var first = await SendAsync(group, "alice", "first");
        var second = await SendAsync(group, "alice", "second");
        await Store.EnqueueEmailsAsync([Email(first, "bob"), Email(first, "carol")], Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.EnqueueEmailsAsync([Email(second, "dave")], Ct);

        var claimed = await Store.ClaimDueEmailsAsync(2, TimeSpan.FromMinutes(1), Ct);
        Assert.That(claimed.Select(e => (e.MessageId, e.RecipientId)), Is.EqualTo(new[] { (first.Id, "bob"), (first.Id, "carol") }));
        Assert.That(claimed.Select(e => e.Attempts), Is.All.EqualTo(1));
        Assert.That(claimed.Select(e => e.NextAttemptAt), Is.All.EqualTo(T0.AddSeconds(1).AddMinutes(1)));

        var rest = await Store.ClaimDueEmailsAsync(10, TimeSpan.FromMinutes(1), Ct);
        Assert.That(rest.Select(e => e.RecipientId), Is.EqualTo(new[] { "dave" }), "claimed ones are not due until the claim runs out");
        Assert.That(await Store.ClaimDueEmailsAsync(10, TimeSpan.FromMinutes(1), Ct), Is.Empty);

        Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await Store.ClaimDueEmailsAsync(10, TimeSpan.FromMinutes(1), Ct);
        Assert.That(again.Select(e => e.RecipientId), Is.EqualTo(new[] { "bob", "carol", "dave" }), "a sender that died leaves them to be retried");
        Assert.That(again.Select(e => e.Attempts), Is.All.EqualTo(2));
    }

    [Test]
    public async Task Outbox_sent_emails_are_never_claimed_again_and_failed_ones_wait_for_their_retry()
    {
        var group = await GroupAsync("alice", "bob", "carol");
        var message = await SendAsync(group, "alice");
        await Store.EnqueueEmailsAsync([Email(message, "bob"), Email(message, "carol")], Ct);
        var claimed = await Store.ClaimDueEmailsAsync(10, TimeSpan.FromMinutes(1), Ct);
        var bob = claimed.Single(e => e.RecipientId == "bob");
        var carol = claimed.Single(e => e.RecipientId == "carol");

        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(await Store.MarkEmailSentAsync(bob.Id, Ct), Is.True);
        Assert.That(await Store.MarkEmailSentAsync(bob.Id, Ct), Is.False, "sent once");
        Assert.That(await Store.MarkEmailFailedAsync(bob.Id, "late failure", T0, Ct), Is.False, "a sent e-mail stays sent");
        Assert.That(await Store.MarkEmailFailedAsync(carol.Id, "451 try again", T0.AddSeconds(30), Ct), Is.True);
        Assert.That(await Store.MarkEmailSentAsync(999_999, Ct), Is.False);

        var emails = await Store.ListEmailsAsync(message.Id, Ct);
        Assert.That(emails[0].SentAt, Is.EqualTo(T0.AddSeconds(2)));
        Assert.That(emails[0].LastError, Is.Null);
        Assert.That(emails[1].SentAt, Is.Null);
        Assert.That(emails[1].LastError, Is.EqualTo("451 try again"));
        Assert.That(emails[1].NextAttemptAt, Is.EqualTo(T0.AddSeconds(30)));

        Clock.Advance(TimeSpan.FromSeconds(27));
        Assert.That(await Store.ClaimDueEmailsAsync(10, TimeSpan.FromMinutes(1), Ct), Is.Empty, "not before its retry time");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var retried = await Store.ClaimDueEmailsAsync(10, TimeSpan.FromMinutes(1), Ct);
        Assert.That(retried.Select(e => (e.RecipientId, e.Attempts, e.LastError)), Is.EqualTo(new[] { ("carol", 2, (string?)"451 try again") }));
    }

    [Test]
    public async Task Outbox_concurrent_claims_never_take_the_same_email()
    {
        var group = await GroupAsync("alice", [.. Enumerable.Range(0, 40).Select(i => "u" + i)]);
        var message = await SendAsync(group, "alice");
        await Store.EnqueueEmailsAsync([.. Enumerable.Range(0, 40).Select(i => Email(message, "u" + i))], Ct);
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Store.ClaimDueEmailsAsync(15, TimeSpan.FromMinutes(1), Ct))));
        var ids = claims.SelectMany(c => c).Select(e => e.Id).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Has.Count.EqualTo(40));
    }

    [Test]
    public void Outbox_bad_arguments_are_refused()
    {
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ClaimDueEmailsAsync(0, TimeSpan.FromMinutes(1), Ct));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ClaimDueEmailsAsync(10, TimeSpan.Zero, Ct));
        Assert.ThrowsAsync<ArgumentException>(() => Store.EnqueueEmailsAsync([new NewOutboxEmail("", "c", "r", "s", "b")], Ct));
        Assert.ThrowsAsync<ArgumentException>(() => Store.ListEmailsAsync("", Ct));
    }
}
