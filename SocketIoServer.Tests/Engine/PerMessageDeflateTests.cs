using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging;
using SocketIoServer.Engine;
using SocketIoServer.Server;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Engine;

/// <summary>
/// permessage-deflate (Node.js <c>perMessageDeflate</c>, threshold 1024): negotiated when the client offers it, seen
/// on the wire as compressed (RSV1) frames shorter than the message; small messages and <c>Compress(false)</c> packets
/// stay uncompressed; off by default. On both WebSocket paths (the connection-level one hands such clients to Kestrel).
/// </summary>
public sealed class PerMessageDeflateTests
{
    private const string Offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    private static readonly string Big = new('z', 5000);

    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, int Port)> StartAsync(bool deflate, bool connectionLevel)
    {
        var (app, url) = await TestHost.StartAsync(
            o => o.Engine.PerMessageDeflate = deflate ? new EnginePerMessageDeflateOptions() : null,
            io => io.OnConnection(socket =>
            {
                socket.On("big", _ => socket.Emit("big", Big));
                socket.On("big-uncompressed", _ => socket.Compress(false).Emit("big", Big));
                socket.On("small", _ => socket.Emit("small", "tiny"));
            }),
            connectionLevel);
        return (app, new Uri(url).Port);
    }

    private static async Task<(RawFrameClient Client, string Head)> OpenAsync(int port, bool offer)
    {
        var client = await RawFrameClient.ConnectAsync(port);
        var head = await client.UpgradeAsync("/socket.io/?EIO=4&transport=websocket", extraHeaders: offer ? Offer : "");
        await NextDataFrameAsync(client); // open packet
        await client.SendTextAsync("40");
        await NextDataFrameAsync(client); // CONNECT reply
        return (client, head);
    }

    private static async Task<RawFrameClient.Frame> NextDataFrameAsync(RawFrameClient client)
    {
        while (true)
        {
            var frame = await client.ReadFrameAsync() ?? throw new IOException("closed");
            if (frame.Opcode is 0x1 or 0x2) return frame;
        }
    }

    private static string Inflate(byte[] payload)
    {
        using var input = new MemoryStream([.. payload, 0x00, 0x00, 0xFF, 0xFF]);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(inflater, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_large_message_is_compressed_on_the_wire_and_a_small_one_is_not(bool connectionLevel)
    {
        var (app, port) = await StartAsync(deflate: true, connectionLevel);
        await using var _ = app;
        var (client, head) = await OpenAsync(port, offer: true);
        await using var __ = client;
        Assert.That(head, Does.Contain("permessage-deflate"));

        await client.SendTextAsync("42[\"big\"]");
        var big = await NextDataFrameAsync(client);
        Assert.That(big.Compressed, Is.True);
        Assert.That(big.Payload.Length, Is.LessThan(200));
        Assert.That(Inflate(big.Payload), Is.EqualTo($"42[\"big\",\"{Big}\"]"));

        await client.SendTextAsync("42[\"small\"]");
        var small = await NextDataFrameAsync(client);
        Assert.That(small.Compressed, Is.False);
        Assert.That(small.Text, Is.EqualTo("42[\"small\",\"tiny\"]"));

        await client.SendTextAsync("42[\"big-uncompressed\"]");
        var plain = await NextDataFrameAsync(client);
        Assert.That(plain.Compressed, Is.False);
        Assert.That(plain.Text, Is.EqualTo($"42[\"big\",\"{Big}\"]"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Off_by_default_the_offer_is_declined(bool connectionLevel)
    {
        var (app, port) = await StartAsync(deflate: false, connectionLevel);
        await using var _ = app;
        var (client, head) = await OpenAsync(port, offer: true);
        await using var __ = client;
        Assert.That(head, Does.Not.Contain("permessage-deflate"));
        await client.SendTextAsync("42[\"big\"]");
        var big = await NextDataFrameAsync(client);
        Assert.That(big.Compressed, Is.False);
        Assert.That(big.Text, Is.EqualTo($"42[\"big\",\"{Big}\"]"));
    }

    [Test]
    public async Task A_client_that_does_not_offer_it_gets_plain_frames()
    {
        var (app, port) = await StartAsync(deflate: true, connectionLevel: true);
        await using var _ = app;
        var (client, head) = await OpenAsync(port, offer: false);
        await using var __ = client;
        Assert.That(head, Does.Not.Contain("permessage-deflate"));
        await client.SendTextAsync("42[\"big\"]");
        Assert.That((await NextDataFrameAsync(client)).Compressed, Is.False);
    }

    [Test]
    public void A_window_outside_9_to_15_stops_start_up()
    {
        var options = new SocketIoOptions();
        options.Engine.PerMessageDeflate = new EnginePerMessageDeflateOptions { ServerMaxWindowBits = 8 };
        Assert.Throws<InvalidOperationException>(() => new IoServer(options, LoggerFactory.Create(_ => { })));
    }
}
