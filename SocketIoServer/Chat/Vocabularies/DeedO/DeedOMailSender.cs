using System.Net.Mail;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Chat.Vocabularies.DeedO;

/// <summary>
/// Sends the outbox's e-mails over SMTP (<c>SMTP_HOST</c>, <c>SMTP_PORT</c>, <c>SMTP_FROM</c>), in the background.
/// Without <c>SMTP_HOST</c> it sends nothing and the e-mails stay recorded in the outbox. An e-mail the server
/// refuses, or that cannot be delivered in time, stays queued and is retried later (10 s, 30 s, 2 min, 10 min, then
/// hourly); none is ever dropped. A claimed e-mail whose sending dies with the process is retried when its claim runs
/// out.
/// </summary>
public sealed partial class DeedOMailSender(IChatStore store, DeedOMailSender.Options options, DeedOMailSignal signal, TimeProvider time,
    ILogger<DeedOMailSender> logger) : BackgroundService
{
    /// <param name="Host">The SMTP server; null: e-mails stay in the outbox.</param>
    /// <param name="SendTimeout">Real time one delivery may take before it counts as failed.</param>
    /// <param name="PollInterval">How often the outbox is looked at when nothing wakes the sender (retries fall due).</param>
    public sealed record Options(string? Host, int Port, string From, TimeSpan SendTimeout, TimeSpan PollInterval)
    {
        public static Options Disabled { get; } = new(null, 25, "chat@localhost", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
    }

    /// <summary>How long a claimed e-mail is left to its sender before another attempt may take it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private const int Batch = 20;

    /// <summary>The wait before the next attempt, after <paramref name="attempts"/> attempts failed.</summary>
    public static TimeSpan Backoff(int attempts) => attempts switch
    {
        <= 1 => TimeSpan.FromSeconds(10),
        2 => TimeSpan.FromSeconds(30),
        3 => TimeSpan.FromMinutes(2),
        4 => TimeSpan.FromMinutes(10),
        _ => TimeSpan.FromHours(1),
    };

    /// <summary>The address of a recipient: the user id when it is an address, else the user id at <c>SMTP_FROM</c>'s domain.</summary>
    public static string AddressOf(string userId, string from)
    {
        if (userId.Contains('@', StringComparison.Ordinal)) return userId;
        var at = from.LastIndexOf('@');
        var domain = at >= 0 ? from[(at + 1)..].TrimEnd('>', ' ') : "localhost";
        return $"{userId}@{domain}";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Host is null)
        {
            LogNoSmtp();
            return;
        }
        LogStarted(options.Host, options.Port);
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<OutboxEmail> due = [];
            try
            {
                due = await store.ClaimDueEmailsAsync(Batch, Lease, stoppingToken);
                foreach (var email in due) await DeliverAsync(email, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogOutboxFailed(ex); // the store did not answer: try again at the next poll
            }
            if (due.Count == Batch) continue; // more may be waiting
            try
            {
                await signal.WaitAsync(options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(OutboxEmail email, CancellationToken stoppingToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(options.SendTimeout);
            using var client = new SmtpClient(options.Host, options.Port) { DeliveryMethod = SmtpDeliveryMethod.Network, EnableSsl = false };
            using var mail = new MailMessage(options.From, AddressOf(email.RecipientId, options.From), email.Subject, email.Body)
            {
                BodyEncoding = System.Text.Encoding.UTF8, // quoted-printable UTF-8: any text, through any mail server
                BodyTransferEncoding = System.Net.Mime.TransferEncoding.QuotedPrintable,
                SubjectEncoding = System.Text.Encoding.UTF8,
            };
            mail.Headers.Add("X-Chat-Message-Id", email.MessageId);
            mail.Headers.Add("X-Chat-Group-Id", email.ConversationId);
            await client.SendMailAsync(mail, timeout.Token);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            var retryIn = Backoff(email.Attempts);
            LogSendFailed(email.Id, email.RecipientId, email.Attempts, retryIn, ex.Message);
            var reason = ex is OperationCanceledException ? $"no answer from the mail server within {options.SendTimeout.TotalSeconds:0} s" : Describe(ex);
            await store.MarkEmailFailedAsync(email.Id, reason, time.GetUtcNow() + retryIn, CancellationToken.None);
            return;
        }
        await store.MarkEmailSentAsync(email.Id, CancellationToken.None);
        LogSent(email.Id, email.RecipientId, email.MessageId);
    }

    private static string Describe(Exception ex)
    {
        var text = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException) text += " (" + inner.Message + ")";
        return text.Length > 1000 ? text[..1000] : text;
    }

    [LoggerMessage(LogLevel.Information, "SMTP_HOST is not set: e-mail notifications are recorded in the outbox and not sent")]
    private partial void LogNoSmtp();

    [LoggerMessage(LogLevel.Information, "Sending e-mail notifications through {Host}:{Port}")]
    private partial void LogStarted(string host, int port);

    [LoggerMessage(LogLevel.Information, "E-mail {EmailId} to {RecipientId} about message {MessageId} sent")]
    private partial void LogSent(long emailId, string recipientId, string messageId);

    [LoggerMessage(LogLevel.Warning, "E-mail {EmailId} to {RecipientId} failed (attempt {Attempt}); retried in {RetryIn}: {Reason}")]
    private partial void LogSendFailed(long emailId, string recipientId, int attempt, TimeSpan retryIn, string reason);

    [LoggerMessage(LogLevel.Error, "The e-mail outbox could not be read")]
    private partial void LogOutboxFailed(Exception exception);
}
