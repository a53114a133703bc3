using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Hosting;

namespace SocketIoServer.Tests.Hosting;

/// <summary>
/// Under TLS the socket carries ciphertext, so the connection-level path sends its frames through the connection's
/// output pipe (which Kestrel encrypts) instead of writing to the socket.
/// </summary>
public sealed class ConnectionWebSocketTlsTests
{
    [Test]
    public async Task Over_TLS_events_go_both_ways_on_the_connection_level_path()
    {
        using var certificate = SelfSigned();
        var (app, url) = await Support.TestHost.StartAsync(_ => { },
            io => io.OnConnection(socket => socket.On("echo", e => socket.Emit("echo", e.Args))),
            connectionLevelWebSockets: true, listen: endpoint => endpoint.UseHttps(certificate));
        await using var _ = app;
        var port = new Uri(url).Port;

        using var ws = new ClientWebSocket();
        ws.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        await ws.ConnectAsync(new Uri($"wss://localhost:{port}/socket.io/?EIO=4&transport=websocket"), CancellationToken.None);
        Assert.That(await ReceiveAsync(ws), Does.StartWith("0{"));
        await SendAsync(ws, "40");
        Assert.That(await ReceiveAsync(ws), Does.StartWith("40{\"sid\""));
        var big = new string('é', 40_000); // 80 KB of UTF-8: more than one TLS record, a 64-bit frame length
        await SendAsync(ws, $"42[\"echo\",\"{big}\"]");
        Assert.That(await ReceiveAsync(ws), Is.EqualTo($"42[\"echo\",\"{big}\"]"));
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.That(ws.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private static Task SendAsync(ClientWebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<string> ReceiveAsync(ClientWebSocket ws)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, cts.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return Encoding.UTF8.GetString(message.ToArray());
        }
    }
}
