using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Support;
using static SocketIoServer.Tests.Chat.DeedO.DeedOTestKit;

namespace SocketIoServer.Tests.Chat.DeedO;

/// <summary>
/// Seed 004's e-mails to offline members, on SQLite and on PostgreSQL: recorded in the outbox without SMTP, delivered
/// to a real SMTP server (scripts/smtp-sink.sh's aiosmtpd) with it, and a refusing or silent mail server neither
/// delays nor loses the message, and its e-mails are retried until they go through.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class DeedOMailTests(string store)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>alice and bob online, carol offline, all three in one group; alice's message → carol's e-mail.</summary>
    private static async Task<(string MessageId, string GroupId)> SendWhileCarolIsOfflineAsync(ChatTestServer server, string text)
    {
        var groupId = await server.CreateChatAsync("alice", "group", "bob", "carol");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        var watch = Stopwatch.StartNew();
        var ack = (await alice.AskAsync("sendMessage", new { groupId, text, attachments = Array.Empty<object>() }))!.AsObject();
        Assert.That(ack["success"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
        var received = await bob.Events.WaitAsync("newMessage", e => e.Args[0]!["text"]!.GetValue<string>() == text);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "the message does not wait for the mail server");
        var messageId = received.Args[0]!["id"]!.GetValue<string>();
        Assert.That(await server.Store.GetMessageAsync(messageId, Ct), Is.Not.Null, "stored");
        return (messageId, groupId);
    }

    private static async Task<OutboxEmail> WaitForEmailAsync(ChatTestServer server, string messageId, Func<OutboxEmail, bool> until, string what,
        Action? meanwhile = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        IReadOnlyList<OutboxEmail> emails = [];
        while (DateTime.UtcNow < deadline)
        {
            emails = await server.Store.ListEmailsAsync(messageId, Ct);
            if (emails is [var email] && until(email)) return email;
            meanwhile?.Invoke();
            await Task.Delay(100);
        }
        Assert.Fail($"waited 20 s for {what}; the outbox holds {string.Join(", ", emails)}");
        return null!;
    }

    [Test]
    public async Task WithoutSmtp_AnOfflineMembersEmail_IsRecordedInTheOutbox_AndNoOneElses()
    {
        await using var server = await StartAsync(store);
        var (messageId, groupId) = await SendWhileCarolIsOfflineAsync(server, "see you at 8");

        var emails = await server.Store.ListEmailsAsync(messageId, Ct);
        Assert.That(emails.Select(e => e.RecipientId), Is.EqualTo(new[] { "carol" }), "not the sender, not bob who is online");
        var email = emails[0];
        Assert.Multiple(() =>
        {
            Assert.That(email.ConversationId, Is.EqualTo(groupId));
            Assert.That(email.Subject, Is.EqualTo("New message from alice in \"Group\""));
            Assert.That(email.Body, Does.Contain("see you at 8"));
            Assert.That(email.SentAt, Is.Null);
        });
        await Task.Delay(500);
        Assert.That((await server.Store.ListEmailsAsync(messageId, Ct))[0].Attempts, Is.Zero, "nothing tries to send it without SMTP_HOST");
    }

    [Test]
    public async Task WithSmtp_TheEmail_ReachesARealSmtpServer()
    {
        var host = Environment.GetEnvironmentVariable("TEST_SMTP_HOST");
        var port = Environment.GetEnvironmentVariable("TEST_SMTP_PORT");
        var maildir = Environment.GetEnvironmentVariable("TEST_SMTP_MAILDIR");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port) || string.IsNullOrEmpty(maildir))
            Assert.Fail("TEST_SMTP_HOST/TEST_SMTP_PORT/TEST_SMTP_MAILDIR are not set: ./scripts/test.sh starts an SMTP sink by itself; " +
                "to run `dotnet test` by hand, first run eval \"$(scripts/smtp-sink.sh start)\".");
        await using var server = await StartAsync(store, null, ("SMTP_HOST", host!), ("SMTP_PORT", port!), ("SMTP_FROM", "chat@deedo.test"));
        var text = "über real SMTP, naïve café " + Guid.NewGuid();
        var (messageId, groupId) = await SendWhileCarolIsOfflineAsync(server, text);

        var sent = await WaitForEmailAsync(server, messageId, e => e.SentAt is not null, "the e-mail to be sent");
        Assert.That(sent.Attempts, Is.EqualTo(1));
        string? mail = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (mail is null && DateTime.UtcNow < deadline)
        {
            mail = Directory.EnumerateFiles(Path.Combine(maildir!, "new")).Select(File.ReadAllText)
                .FirstOrDefault(m => m.Contains($"X-Chat-Message-Id: {messageId}", StringComparison.Ordinal));
            if (mail is null) await Task.Delay(100);
        }
        Assert.That(mail, Is.Not.Null, "the sink's Maildir holds the e-mail");
        Assert.That(mail, Does.Contain("X-RcptTo: carol@deedo.test"));
        Assert.That(mail, Does.Contain("X-MailFrom: chat@deedo.test"));
        Assert.That(mail, Does.Contain($"X-Chat-Group-Id: {groupId}"));
        Assert.That(mail, Does.Contain("Subject: New message from alice"));
        Assert.That(QuotedPrintable(mail!), Does.Contain(text));
    }

    /// <summary>The body as written: soft line breaks joined, =XX bytes decoded as UTF-8.</summary>
    private static string QuotedPrintable(string mail)
    {
        var body = mail[(mail.IndexOf("\n\n", StringComparison.Ordinal) + 2)..].Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal);
        var bytes = new List<byte>();
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '=' && i + 2 < body.Length && Uri.IsHexDigit(body[i + 1]) && Uri.IsHexDigit(body[i + 2]))
            {
                bytes.Add(Convert.ToByte(body.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(body[i].ToString()));
        }
        return System.Text.Encoding.UTF8.GetString([.. bytes]);
    }

    [Test]
    public async Task ARefusingMailServer_NeitherDelaysNorLosesTheMessage_AndTheEmailIsRetriedUntilItGoesThrough()
    {
        await using var smtp = new FakeSmtpServer(SmtpMode.Refuse);
        var clock = new ShiftedClock();
        await using var server = await StartAsync(store, b => b.Services.AddSingleton<TimeProvider>(clock),
            ("SMTP_HOST", "127.0.0.1"), ("SMTP_PORT", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var (messageId, _) = await SendWhileCarolIsOfflineAsync(server, "despite the mail server");

        var failed = await WaitForEmailAsync(server, messageId, e => e.LastError is not null, "the first attempt to fail");
        Assert.That(failed.SentAt, Is.Null);
        Assert.That(failed.Attempts, Is.EqualTo(1));
        Assert.That(failed.LastError, Does.Contain("try again later").Or.Contain("451").Or.Contain("Mailbox"), failed.LastError);

        clock.Advance(TimeSpan.FromSeconds(5));
        var stillQueued = await server.Store.ListEmailsAsync(messageId, Ct);
        Assert.That(stillQueued[0].SentAt, Is.Null, "not retried before its time (10 s)");

        smtp.Mode = SmtpMode.Accept; // the mail server recovers
        var sent = await WaitForEmailAsync(server, messageId, e => e.SentAt is not null, "the retry to go through",
            meanwhile: () => clock.Advance(TimeSpan.FromSeconds(6)));
        Assert.That(sent.Attempts, Is.GreaterThanOrEqualTo(2));
        Assert.That(smtp.Accepted.Count(m => m.Contains(messageId, StringComparison.Ordinal)), Is.EqualTo(1), "delivered once");
    }

    [Test]
    public async Task ASilentMailServer_DoesNotHoldUpMessages()
    {
        await using var smtp = new FakeSmtpServer(SmtpMode.Hang);
        await using var server = await StartAsync(store, null,
            ("SMTP_HOST", "127.0.0.1"), ("SMTP_PORT", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var (first, groupId) = await SendWhileCarolIsOfflineAsync(server, "first");
        await TestWaitUntilAsync(() => smtp.Connections > 0, "the sender to be stuck on the silent server");

        await using var alice = await ConnectAsync(server, "alice");
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++) await SendAsync(alice, groupId, "while the mail server hangs " + i);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        var email = (await server.Store.ListEmailsAsync(first, Ct)).Single();
        Assert.That(email.SentAt, Is.Null, "still waiting in the outbox, not lost");
    }

    private static async Task TestWaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("waited 10 s for " + what);
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// A <see cref="ManualTimeProvider"/> whose wall clock moves with it too (from the real time it was made at), so
    /// that the outbox's retry times, which the store compares with its wall clock, fall due when the test says so.
    /// </summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private readonly ManualTimeProvider _inner = new();
        private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _start + _inner.Now;

        public override long GetTimestamp() => _inner.GetTimestamp();

        public override long TimestampFrequency => _inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            _inner.CreateTimer(callback, state, dueTime, period);

        public void Advance(TimeSpan by) => _inner.Advance(by);
    }
}
