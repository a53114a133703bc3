using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SocketIoServer.Tests.Chat.DeedO;

/// <summary>
/// A misbehaving mail server for the failure tests: <see cref="SmtpMode.Refuse"/> answers every mail with a
/// temporary failure, <see cref="SmtpMode.Hang"/> accepts the connection and never says a word, <see cref="SmtpMode.Accept"/>
/// takes mail and keeps it. The mode can change while it runs (a server that recovers).
/// </summary>
internal sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _accepted = [];
    private readonly Task _loop;

    public FakeSmtpServer(SmtpMode mode)
    {
        Mode = mode;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public volatile SmtpMode Mode;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections;

    public IReadOnlyList<string> Accepted
    {
        get { lock (_accepted) return [.. _accepted]; }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref Connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            if (Mode == SmtpMode.Hang)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
                return;
            }
            await writer.WriteLineAsync("220 fake ESMTP");
            var data = new StringBuilder();
            var inData = false;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (inData)
                {
                    if (line == ".")
                    {
                        inData = false;
                        lock (_accepted) _accepted.Add(data.ToString());
                        data.Clear();
                        await writer.WriteLineAsync("250 queued");
                    }
                    else data.AppendLine(line);
                    continue;
                }
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO": await writer.WriteLineAsync("250 fake"); break;
                    case "MAIL" when Mode == SmtpMode.Refuse: await writer.WriteLineAsync("451 4.3.0 try again later"); break;
                    case "MAIL" or "RCPT" or "RSET" or "NOOP": await writer.WriteLineAsync("250 ok"); break;
                    case "DATA": inData = true; await writer.WriteLineAsync("354 go ahead"); break;
                    case "QUIT": await writer.WriteLineAsync("221 bye"); return;
                    default: await writer.WriteLineAsync("502 not implemented"); break;
                }
            }
        }
        catch (Exception)
        {
            // the client went away, or the server is stopping
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

internal enum SmtpMode
{
    Accept,
    Refuse,
    Hang,
}
