using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using SocketIoServer.Server;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server;

/// <summary>
/// Socket.IO for Engine.IO v3 clients (socket.io-client 2.x) on the wire, as Node.js's socket.io 4.8 treats them:
/// connected to "/" without a CONNECT, CONNECT replies without payload, socket ids from the engine id, namespaces as
/// URLs whose query is the auth, refusals carrying the error's data or message.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LegacyClientTests
{
    private WebApplication _app = null!;
    private IoServer _io = null!;
    private PollingV3 _polling = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        (_app, var url) = await TestHost.StartAsync(o =>
        {
            o.Engine.AllowEIO3 = true;
            o.ConnectTimeout = TimeSpan.FromMilliseconds(300);
            o.Engine.PingInterval = TimeSpan.FromSeconds(10);
        }, io =>
        {
            _io = io;
            void OnConnection(Socket socket)
            {
                socket.Emit("auth", socket.Handshake.Auth);
                socket.On("echo", e =>
                {
                    if (e.HasAck) e.Ack(e.Args);
                    else socket.Emit("echo", e.Args);
                });
            }
            io.OnConnection(OnConnection);
            io.Of("/custom").OnConnection(OnConnection);
            io.Of("/refused").Use(_ => throw new ConnectionRefusedException("refused by middleware", new { code = "E1" }));
            io.Of("/plain").Use(_ => throw new InvalidOperationException("no way"));
            io.Of("/falsy").Use(_ => throw new ConnectionRefusedException("falsy data", 0));
            io.Of("/empty").Use(_ => throw new ConnectionRefusedException("empty data", ""));
        });
        _polling = new PollingV3(url, "/socket.io/");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _polling.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>A v3 text payload of these packets.</summary>
    private static string Payload(params string[] packets) =>
        string.Concat(packets.Select(p => $"{p.Length}:{p}"));

    /// <summary>A v3 session whose implicit connection to "/" has been read (CONNECT and the "auth" event).</summary>
    private async Task<string> ConnectedSessionAsync()
    {
        var (sid, _, _) = await _polling.OpenAsync();
        Assert.That((await _polling.GetAsync(sid)).Text, Is.EqualTo(Payload("40", "42[\"auth\",{}]")));
        return sid;
    }

    [Test]
    public async Task The_handshake_holds_the_open_packet_alone_then_the_client_is_connected_to_main_without_CONNECT()
    {
        var (sid, open, response) = await _polling.OpenAsync();
        Assert.That(response.Text, Is.EqualTo(Payload("0" + open)), "Node.js writes the handshake response before its connection event");
        Assert.That((await _polling.GetAsync(sid)).Text, Is.EqualTo(Payload("40", "42[\"auth\",{}]")));
        Assert.That(_io.MainNamespace.Sockets.Keys, Does.Contain(sid), "socket id = engine id for \"/\"");
        Assert.That(_io.MainNamespace.Sockets[sid].Rooms, Is.EquivalentTo(new[] { sid }));
    }

    [Test]
    public async Task The_connect_timeout_does_not_close_a_client_connected_to_main()
    {
        var sid = await ConnectedSessionAsync();
        await Task.Delay(500); // connectTimeout 300 ms
        await _polling.PostAsync(sid, Payload("42[\"echo\",\"alive\"]"));
        Assert.That((await _polling.GetAsync(sid)).Text, Is.EqualTo(Payload("42[\"echo\",\"alive\"]")));
    }

    [Test]
    public async Task A_namespace_is_read_as_a_URL_whose_query_is_the_auth()
    {
        var sid = await ConnectedSessionAsync();
        await _polling.PostAsync(sid, Payload("40/custom?token=abc&x=1&x=2&sp=a+b%20c,"));
        Assert.That((await _polling.GetAsync(sid)).Text,
            Is.EqualTo(Payload("40/custom,", "42/custom,[\"auth\",{\"token\":\"abc\",\"x\":\"2\",\"sp\":\"a b c\"}]")));
        Assert.That(_io.Of("/custom").Sockets.Keys, Does.Contain("/custom#" + sid), "socket id = nsp#engineId");

        // every packet's namespace is read so, not only CONNECT's
        await _polling.PostAsync(sid, Payload("42/custom?ignored=1,5[\"echo\",\"with ack\"]"));
        Assert.That((await _polling.GetAsync(sid)).Text, Is.EqualTo(Payload("43/custom,5[\"with ack\"]")));
    }

    [Test]
    public async Task Dot_segments_resolve_as_in_a_URL()
    {
        var sid = await ConnectedSessionAsync();
        await _polling.PostAsync(sid, Payload("40/x/../custom,"));
        Assert.That((await _polling.GetAsync(sid)).Text, Is.EqualTo(Payload("40/custom,", "42/custom,[\"auth\",{}]")));
    }

    [TestCase("/refused", "{\"code\":\"E1\"}", TestName = "A refusal with data sends the data alone")]
    [TestCase("/plain", "\"no way\"", TestName = "A refusal without data sends the message as a string")]
    [TestCase("/falsy", "\"falsy data\"", TestName = "Falsy data (0) sends the message, as err.data || err.message")]
    [TestCase("/empty", "\"empty data\"", TestName = "Falsy data (empty string) sends the message")]
    [TestCase("/nope", "{\"message\":\"Invalid namespace\"}", TestName = "An unknown namespace is Invalid namespace as for v4")]
    public async Task Refusals_carry_what_Node_sends_to_v3_clients(string nsp, string data)
    {
        var sid = await ConnectedSessionAsync();
        await _polling.PostAsync(sid, Payload($"40{nsp},"));
        Assert.That((await _polling.GetAsync(sid)).Text, Is.EqualTo(Payload($"44{nsp},{data}")));
        // the connection and "/" go on
        await _polling.PostAsync(sid, Payload("42[\"echo\",1]"));
        Assert.That((await _polling.GetAsync(sid)).Text, Is.EqualTo(Payload("42[\"echo\",1]")));
    }

    [Test]
    public async Task Binary_events_and_acks_travel_in_binary_payloads()
    {
        var sid = await ConnectedSessionAsync();
        var header = Encoding.UTF8.GetBytes("451-7[\"echo\",{\"_placeholder\":true,\"num\":0}]");
        byte[] payload = [0, .. Digits(header.Length), 255, .. header, 1, 4, 255, 4, 1, 2, 3];
        Assert.That((await _polling.PostBinaryAsync(sid, payload)).Status, Is.EqualTo(HttpStatusCode.OK));
        var poll = await _polling.GetAsync(sid);
        Assert.That(poll.ContentType, Is.EqualTo("application/octet-stream"));
        var ack = Encoding.UTF8.GetBytes("461-7[{\"_placeholder\":true,\"num\":0}]");
        Assert.That(poll.Body, Is.EqualTo((byte[])[0, .. Digits(ack.Length), 255, .. ack, 1, 4, 255, 4, 1, 2, 3]));
    }

    [Test]
    public async Task A_second_CONNECT_for_main_closes_the_connection_as_Node()
    {
        var sid = await ConnectedSessionAsync();
        await _polling.PostAsync(sid, Payload("40"));
        var poll = await _polling.GetAsync(sid);
        Assert.That(poll.Text, Is.EqualTo(Payload("1")).Or.EqualTo(Payload("6", "1")));
        Assert.That((await _polling.GetAsync(sid)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_namespace_that_is_no_URL_closes_the_connection()
    {
        var sid = await ConnectedSessionAsync();
        await _polling.PostAsync(sid, Payload("40//[bad,"));
        var poll = await _polling.GetAsync(sid);
        Assert.That(poll.Text, Is.EqualTo(Payload("1")).Or.EqualTo(Payload("6", "1")));
    }

    [Test]
    public async Task Disconnecting_from_a_namespace_keeps_the_others()
    {
        var sid = await ConnectedSessionAsync();
        await _polling.PostAsync(sid, Payload("40/custom,"));
        await _polling.GetAsync(sid);
        await _polling.PostAsync(sid, Payload("41/custom,"));
        await Task.Delay(50);
        Assert.That(_io.Of("/custom").Sockets.Keys, Does.Not.Contain("/custom#" + sid));
        Assert.That(_io.MainNamespace.Sockets.Keys, Does.Contain(sid));
    }

    private static byte[] Digits(int value) => [.. value.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => (byte)(c - '0'))];
}

/// <summary>A "/" middleware that refuses a v3 client: the refusal, then the connect timeout closes it, as Node.js.</summary>
[TestFixture]
public sealed class LegacyClientMainRefusalTests
{
    [Test]
    public async Task A_refused_main_namespace_sends_CONNECT_ERROR_and_the_connect_timeout_closes_the_connection()
    {
        var (app, url) = await TestHost.StartAsync(o =>
        {
            o.Engine.AllowEIO3 = true;
            o.ConnectTimeout = TimeSpan.FromMilliseconds(300);
            o.Engine.PingInterval = TimeSpan.FromSeconds(10);
        }, io => io.Use(_ => throw new ConnectionRefusedException("denied")));
        await using var host = app;
        using var polling = new PollingV3(url, "/socket.io/");
        var (sid, _, _) = await polling.OpenAsync();
        Assert.That((await polling.GetAsync(sid)).Text, Is.EqualTo("10:44\"denied\""));
        var started = DateTime.UtcNow;
        Assert.That((await polling.GetAsync(sid)).Text, Is.EqualTo("1:61:1").Or.EqualTo("1:1"));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(5)));
    }
}
