using System.IO.Compression;
using System.Net;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server;

/// <summary>
/// <c>serveClient</c>: the socket.io-client package's browser files under the Socket.IO path, with the package version
/// as ETag, compressed as the browser accepts, as Node.js serves them.
/// </summary>
public sealed class ServeClientTests
{
    private string _dist = null!;

    [OneTimeSetUp]
    public void MakeBundle()
    {
        var root = Path.Combine(Path.GetTempPath(), "serve-client-" + Guid.NewGuid().ToString("N"));
        _dist = Path.Combine(root, "node_modules", "socket.io-client", "dist");
        Directory.CreateDirectory(_dist);
        File.WriteAllText(Path.Combine(root, "node_modules", "socket.io-client", "package.json"), "{\"name\":\"socket.io-client\",\"version\":\"9.9.9\"}");
        File.WriteAllText(Path.Combine(_dist, "socket.io.js"), "/* client */ " + new string('a', 4000));
        File.WriteAllText(Path.Combine(_dist, "socket.io.min.js.map"), "{\"version\":3}");
    }

    [OneTimeTearDown]
    public void RemoveBundle() => Directory.Delete(Path.GetFullPath(Path.Combine(_dist, "..", "..", "..")), recursive: true);

    private Task<(Microsoft.AspNetCore.Builder.WebApplication App, string Url)> StartAsync(bool serve = true, string? dist = null) =>
        TestHost.StartAsync(o =>
        {
            o.ServeClient = serve;
            o.ClientBundleDirectory = dist ?? _dist;
        });

    [Test]
    public async Task The_client_file_is_served_with_the_package_version_as_ETag()
    {
        var (app, url) = await StartAsync();
        await using var _ = app;
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{url}/socket.io/socket.io.js");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("application/javascript; charset=utf-8"));
        Assert.That(response.Headers.ETag!.Tag, Is.EqualTo("\"9.9.9\""));
        Assert.That(response.Headers.CacheControl!.ToString(), Is.EqualTo("public, max-age=0"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("/* client */ aaa"));
    }

    [TestCase("\"9.9.9\"")]
    [TestCase("W/\"9.9.9\"")]
    public async Task A_matching_If_None_Match_gets_304(string etag)
    {
        var (app, url) = await StartAsync();
        await using var _ = app;
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/socket.io/socket.io.js");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task A_source_map_is_JSON()
    {
        var (app, url) = await StartAsync();
        await using var _ = app;
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{url}/socket.io/socket.io.min.js.map");
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("application/json; charset=utf-8"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"version\":3}"));
    }

    [Test]
    public async Task Brotli_is_preferred_when_accepted()
    {
        var (app, url) = await StartAsync();
        await using var _ = app;
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/socket.io/socket.io.js");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
        using var response = await http.SendAsync(request);
        Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }));
        await using var brotli = new BrotliStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(brotli);
        Assert.That(await reader.ReadToEndAsync(), Does.StartWith("/* client */ aaa"));
    }

    [TestCase(false, null, "/socket.io/socket.io.js", TestName = "With serveClient off the file goes to the engine")]
    [TestCase(true, "/nonexistent/dist", "/socket.io/socket.io.js", TestName = "Without an installed bundle the file goes to the engine")]
    [TestCase(true, null, "/socket.io/other.js", TestName = "A file that is not a client file goes to the engine")]
    [TestCase(true, null, "/socket.io/socket.io.esm.min.js", TestName = "A client file missing from the bundle is 404")]
    public async Task Other_requests(bool serve, string? dist, string path)
    {
        var (app, url) = await StartAsync(serve, dist);
        await using var _ = app;
        using var http = new HttpClient();
        using var response = await http.GetAsync(url + path);
        var expected = path.EndsWith("esm.min.js", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest;
        Assert.That(response.StatusCode, Is.EqualTo(expected));
        if (expected == HttpStatusCode.BadRequest)
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"code\":0,\"message\":\"Transport unknown\"}"));
    }
}
