using System.Net;
using Microsoft.Extensions.Logging;
using SocketIoServer.Engine;
using SocketIoServer.Server;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Engine;

/// <summary>The <c>cookie</c> and <c>addTrailingSlash</c> options, on both WebSocket paths (pipeline and connection level).</summary>
public sealed class CookieAndPathOptionsTests
{
    private static Task<(Microsoft.AspNetCore.Builder.WebApplication App, string Url)> StartAsync(Action<SocketIoOptions> configure, bool connectionLevel) =>
        TestHost.StartAsync(configure, connectionLevelWebSockets: connectionLevel);

    [Test]
    public void The_cookie_is_written_as_the_npm_cookie_package_writes_it()
    {
        Assert.That(new EngineCookieOptions().Serialize("abc-_1"), Is.EqualTo("io=abc-_1; Path=/; HttpOnly; SameSite=Lax"));
        var all = new EngineCookieOptions
        {
            Name = "sticky", Path = "/app", Domain = "example.com", MaxAge = TimeSpan.FromSeconds(90.7),
            Expires = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), HttpOnly = false, Secure = true,
            Partitioned = true, SameSite = "None",
        };
        Assert.That(all.Serialize("s"), Is.EqualTo(
            "sticky=s; Max-Age=90; Domain=example.com; Path=/app; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Secure; Partitioned; SameSite=None"));
    }

    [TestCase("bad name")]
    [TestCase("")]
    public void A_bad_cookie_name_stops_start_up(string name)
    {
        var options = new SocketIoOptions();
        options.Engine.Cookie = new EngineCookieOptions { Name = name };
        var ex = Assert.Throws<InvalidOperationException>(() => new IoServer(options, LoggerFactory.Create(_ => { })));
        Assert.That(ex!.Message, Does.Contain("Cookie.Name"));
    }

    [Test]
    public void A_bad_SameSite_stops_start_up()
    {
        var options = new SocketIoOptions();
        options.Engine.Cookie = new EngineCookieOptions { SameSite = "lax" };
        Assert.Throws<InvalidOperationException>(() => new IoServer(options, LoggerFactory.Create(_ => { })));
    }

    [Test]
    public async Task The_polling_handshake_sets_the_cookie_and_later_requests_do_not()
    {
        var (app, url) = await StartAsync(o => o.Engine.Cookie = new EngineCookieOptions(), connectionLevel: false);
        await using var _ = app;
        using var polling = new Polling(url, "/socket.io/");
        var (_, body, response) = await polling.SendAsync(HttpMethod.Get, "EIO=4&transport=polling");
        var sid = System.Text.Json.JsonDocument.Parse(body[1..]).RootElement.GetProperty("sid").GetString();
        Assert.That(response.Headers.GetValues("Set-Cookie"), Is.EqualTo(new[] { $"io={sid}; Path=/; HttpOnly; SameSite=Lax" }));

        var (_, _, next) = await polling.SendAsync(HttpMethod.Post, $"EIO=4&transport=polling&sid={sid}", "40");
        Assert.That(next.Headers.Contains("Set-Cookie"), Is.False);
    }

    [Test]
    public async Task Without_the_option_no_cookie_is_set()
    {
        var (app, url) = await StartAsync(_ => { }, connectionLevel: false);
        await using var _ = app;
        using var polling = new Polling(url, "/socket.io/");
        var (_, _, response) = await polling.SendAsync(HttpMethod.Get, "EIO=4&transport=polling");
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_direct_WebSocket_handshake_sets_the_cookie_on_the_101(bool connectionLevel)
    {
        var (app, url) = await StartAsync(o => o.Engine.Cookie = new EngineCookieOptions { Name = "lb" }, connectionLevel);
        await using var _ = app;
        await using var client = await RawFrameClient.ConnectAsync(new Uri(url).Port);
        var head = await client.UpgradeAsync("/socket.io/?EIO=4&transport=websocket");
        var open = await client.ReadFrameAsync();
        var sid = System.Text.Json.JsonDocument.Parse(open!.Text[1..]).RootElement.GetProperty("sid").GetString();
        Assert.That(head, Does.StartWith("HTTP/1.1 101 "));
        Assert.That(head, Does.Contain($"Set-Cookie: lb={sid}; Path=/; HttpOnly; SameSite=Lax"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task By_default_the_path_without_its_trailing_slash_is_not_served(bool connectionLevel)
    {
        var (app, url) = await StartAsync(_ => { }, connectionLevel);
        await using var _ = app;
        using var http = new HttpClient();
        Assert.That((await http.GetAsync($"{url}/socket.io?EIO=4&transport=polling")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await http.GetAsync($"{url}/socket.io/?EIO=4&transport=polling")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var client = await RawFrameClient.ConnectAsync(new Uri(url).Port);
        Assert.That(await client.UpgradeAsync("/socket.io?EIO=4&transport=websocket"), Does.StartWith("HTTP/1.1 404 "));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Without_addTrailingSlash_the_path_without_a_slash_is_served(bool connectionLevel)
    {
        var (app, url) = await StartAsync(o => o.Engine.AddTrailingSlash = false, connectionLevel);
        await using var _ = app;
        using var http = new HttpClient();
        var response = await http.GetAsync($"{url}/socket.io?EIO=4&transport=polling");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("0{"));
        await using var client = await RawFrameClient.ConnectAsync(new Uri(url).Port);
        Assert.That(await client.UpgradeAsync("/socket.io?EIO=4&transport=websocket"), Does.StartWith("HTTP/1.1 101 "));
    }
}
