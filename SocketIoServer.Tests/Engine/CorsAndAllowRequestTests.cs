using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoServer.Engine;
using SocketIoServer.Hosting;
using SocketIoServer.Server;

namespace SocketIoServer.Tests.Engine;

/// <summary>CORS (preflight and origin rules) and the allowRequest hook.</summary>
[TestFixture]
public sealed class CorsAndAllowRequestTests
{
    private static Task<(WebApplication App, string Url)> StartAsync(Action<SocketIoOptions> configure) =>
        Support.TestHost.StartAsync(configure);

    [Test]
    public async Task A_preflight_is_answered_with_the_allowed_origin_and_credentials()
    {
        var (app, url) = await StartAsync(o => o.Engine.Cors = new EngineCorsOptions
        {
            Origins = ["https://app.example"],
            Credentials = true,
        });
        await using var _ = app;
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Options, url + "/socket.io/?EIO=4&transport=polling");
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "https://app.example" }));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Credentials"), Is.EqualTo(new[] { "true" }));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Methods").Single(), Does.Contain("POST"));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Headers"), Is.EqualTo(new[] { "content-type" }));
    }

    [Test]
    public async Task An_origin_not_listed_gets_no_allow_origin_header()
    {
        var (app, url) = await StartAsync(o => o.Engine.Cors = new EngineCorsOptions { Origins = ["https://app.example"] });
        await using var _ = app;
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, url + "/socket.io/?EIO=4&transport=polling");
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await http.SendAsync(request);
        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task A_wildcard_origin_is_sent_as_star()
    {
        var (app, url) = await StartAsync(o => o.Engine.Cors = new EngineCorsOptions());
        await using var _ = app;
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, url + "/socket.io/?EIO=4&transport=polling");
        request.Headers.Add("Origin", "https://any.example");
        using var response = await http.SendAsync(request);
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
    }

    [Test]
    public async Task A_request_refused_by_allowRequest_gets_403_with_its_message()
    {
        var (app, url) = await StartAsync(o => o.Engine.AllowRequest = ctx =>
            ValueTask.FromResult(ctx.Request.Query["key"] == "secret" ? null : "no key"));
        await using var _ = app;
        using var http = new HttpClient();
        using var refused = await http.GetAsync(url + "/socket.io/?EIO=4&transport=polling");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await refused.Content.ReadAsStringAsync(), Is.EqualTo("{\"code\":4,\"message\":\"no key\"}"));
        using var allowed = await http.GetAsync(url + "/socket.io/?EIO=4&transport=polling&key=secret");
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Only_the_configured_transports_are_served()
    {
        var (app, url) = await StartAsync(o => o.Engine.Transports = [TransportNames.WebSocket]);
        await using var _ = app;
        using var http = new HttpClient();
        using var response = await http.GetAsync(url + "/socket.io/?EIO=4&transport=polling");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"code\":0,\"message\":\"Transport unknown\"}"));
    }

    [Test]
    public async Task The_server_answers_on_its_configured_path_only()
    {
        var (app, url) = await StartAsync(o => o.Path = "/realtime");
        await using var _ = app;
        using var http = new HttpClient();
        using var served = await http.GetAsync(url + "/realtime/?EIO=4&transport=polling");
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await served.Content.ReadAsStringAsync(), Does.StartWith("0{\"sid\":"));
        using var other = await http.GetAsync(url + "/socket.io/?EIO=4&transport=polling");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void Bad_options_stop_start_up_with_the_setting_named()
    {
        var options = new SocketIoOptions();
        options.Engine.PingInterval = TimeSpan.Zero;
        var ex = Assert.Throws<InvalidOperationException>(() => new IoServer(options, LoggerFactory.Create(_ => { })));
        Assert.That(ex!.Message, Does.Contain("PingInterval"));
    }
}

/// <summary>The upgrade options: allowUpgrades and upgradeTimeout.</summary>
[TestFixture]
public sealed class UpgradeOptionsTests
{
    private static Task<(WebApplication App, string Url)> StartAsync(Action<SocketIoOptions> configure) =>
        Support.TestHost.StartAsync(configure);

    [Test]
    public async Task Without_allowUpgrades_no_upgrade_is_offered_or_accepted()
    {
        var (app, url) = await StartAsync(o => o.Engine.AllowUpgrades = false);
        await using var _ = app;
        using var polling = new Support.Polling(url, "/socket.io/");
        var (_, body, _) = await polling.SendAsync(HttpMethod.Get, "EIO=4&transport=polling");
        Assert.That(body, Does.Contain("\"upgrades\":[]"));
        var sid = System.Text.Json.JsonDocument.Parse(body[1..]).RootElement.GetProperty("sid").GetString();
        var ex = Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(async () =>
            await Support.RawWebSocket.ConnectAsync($"ws{url[4..]}/socket.io/?EIO=4&transport=websocket&sid={sid}"));
        Assert.That(ex!.Message, Does.Contain("400"));
        Assert.That((await polling.PostAsync(sid!, "40")).Status, Is.EqualTo(HttpStatusCode.OK), "the polling session goes on");
    }

    [Test]
    public async Task An_upgrade_that_never_probes_is_dropped_after_upgradeTimeout()
    {
        var (app, url) = await StartAsync(o =>
        {
            o.Engine.UpgradeTimeout = TimeSpan.FromMilliseconds(300);
            o.Engine.PingInterval = TimeSpan.FromSeconds(10);
        });
        await using var _ = app;
        using var polling = new Support.Polling(url, "/socket.io/");
        var (_, body, _) = await polling.SendAsync(HttpMethod.Get, "EIO=4&transport=polling");
        var sid = System.Text.Json.JsonDocument.Parse(body[1..]).RootElement.GetProperty("sid").GetString()!;
        await using var ws = await Support.RawWebSocket.ConnectAsync($"ws{url[4..]}/socket.io/?EIO=4&transport=websocket&sid={sid}");
        Assert.That(await ws.WaitForCloseAsync(3000), Is.True, "the silent WebSocket is closed");
        Assert.That(await polling.PostAsync(sid, "40"), Is.EqualTo((HttpStatusCode.OK, "ok")), "the polling session goes on");
        Assert.That((await polling.GetAsync(sid)).Body, Does.StartWith("40{\"sid\":"));
    }
}
