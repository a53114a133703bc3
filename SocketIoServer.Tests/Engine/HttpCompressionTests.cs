using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using SocketIoServer.Engine;
using SocketIoServer.Server;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Engine;

/// <summary>
/// Compression of long-polling responses (Node.js <c>httpCompression</c>, on by default with a 1024-byte threshold):
/// gzip or deflate as the client accepts, never for small payloads or <c>compress(false)</c> packets.
/// </summary>
public sealed class HttpCompressionTests
{
    private static readonly string Big = new('x', 5000);

    private static void Handlers(IoServer io) => io.OnConnection(socket =>
    {
        socket.On("big", _ => socket.Emit("big", Big));
        socket.On("big-uncompressed", _ => socket.Compress(false).Emit("big", Big));
        socket.On("small", _ => socket.Emit("small", "tiny"));
    });

    /// <summary>Opens a session, connects to "/", sends <paramref name="eventName"/> and returns the GET that carries the answer.</summary>
    private static async Task<HttpResponseMessage> AskAsync(string url, string eventName, string? acceptEncoding)
    {
        using var http = new HttpClient(); // no automatic decompression: the raw response is checked
        async Task<HttpResponseMessage> Send(HttpMethod method, string query, string? body = null, bool compressed = false)
        {
            var request = new HttpRequestMessage(method, $"{url}/socket.io/?EIO=4&transport=polling{query}");
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
            if (compressed && acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            return await http.SendAsync(request);
        }

        var open = await (await Send(HttpMethod.Get, "")).Content.ReadAsStringAsync();
        var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString();
        await Send(HttpMethod.Post, $"&sid={sid}", "40");
        Assert.That(await (await Send(HttpMethod.Get, $"&sid={sid}")).Content.ReadAsStringAsync(), Does.StartWith("40{"));
        await Send(HttpMethod.Post, $"&sid={sid}", $"42[\"{eventName}\"]");
        return await Send(HttpMethod.Get, $"&sid={sid}", compressed: true);
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var encoding = response.Content.Headers.ContentEncoding.SingleOrDefault();
        Stream stream = new MemoryStream(bytes);
        if (encoding == "gzip") stream = new GZipStream(stream, CompressionMode.Decompress);
        else if (encoding == "deflate") stream = new ZLibStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [TestCase("gzip, deflate, br", "gzip")]
    [TestCase("deflate", "deflate")]
    [TestCase("gzip;q=0.2, deflate;q=0.8", "deflate")]
    [TestCase("*", "gzip")]
    public async Task A_large_payload_is_compressed_as_the_client_accepts(string accept, string expected)
    {
        var (app, url) = await TestHost.StartAsync(_ => { }, Handlers);
        await using var _ = app;
        using var response = await AskAsync(url, "big", accept);
        Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { expected }));
        Assert.That(response.Content.Headers.ContentLength, Is.LessThan(1000));
        Assert.That(await BodyAsync(response), Is.EqualTo($"42[\"big\",\"{Big}\"]"));
    }

    [TestCase("small", "gzip", TestName = "A payload under the threshold is not compressed")]
    [TestCase("big", null, TestName = "Without Accept-Encoding nothing is compressed")]
    [TestCase("big", "br, identity", TestName = "Without gzip or deflate accepted nothing is compressed")]
    [TestCase("big", "gzip;q=0, deflate;q=0", TestName = "Encodings refused with q=0 are not used")]
    [TestCase("big-uncompressed", "gzip", TestName = "A packet sent with Compress(false) is not compressed")]
    public async Task Uncompressed_cases(string eventName, string? accept)
    {
        var (app, url) = await TestHost.StartAsync(_ => { }, Handlers);
        await using var _ = app;
        using var response = await AskAsync(url, eventName, accept);
        Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
        Assert.That(await BodyAsync(response), Does.StartWith($"42[\"{(eventName == "small" ? "small" : "big")}\""));
    }

    [Test]
    public async Task With_httpCompression_off_nothing_is_compressed()
    {
        var (app, url) = await TestHost.StartAsync(o => o.Engine.HttpCompression = null, Handlers);
        await using var _ = app;
        using var response = await AskAsync(url, "big", "gzip");
        Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_higher_threshold_keeps_a_5_KB_payload_uncompressed()
    {
        var (app, url) = await TestHost.StartAsync(o => o.Engine.HttpCompression = new EngineHttpCompressionOptions { Threshold = 10_000 }, Handlers);
        await using var _ = app;
        using var response = await AskAsync(url, "big", "gzip");
        Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
    }
}
