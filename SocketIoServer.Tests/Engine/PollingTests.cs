using System.Net;
using System.Text.Json;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Engine;

/// <summary>Engine.IO over HTTP long-polling, against the fixture's echo server at /engine.io/.</summary>
[TestFixture]
public sealed class PollingTests : FixtureTestBase
{
    [Test]
    public async Task Handshake_sends_the_open_packet_with_every_field()
    {
        var (status, body, response) = await Polling.SendAsync(HttpMethod.Get, "EIO=4&transport=polling");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/plain; charset=UTF-8"));
        Assert.That(body, Does.StartWith("0{\"sid\":\""));
        var open = JsonDocument.Parse(body[1..]).RootElement;
        Assert.That(open.EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload" }));
        Assert.That(open.GetProperty("sid").GetString(), Has.Length.EqualTo(20));
        Assert.That(open.GetProperty("upgrades").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "websocket" }));
        Assert.That(open.GetProperty("pingInterval").GetInt32(), Is.EqualTo(300));
        Assert.That(open.GetProperty("pingTimeout").GetInt32(), Is.EqualTo(200));
        Assert.That(open.GetProperty("maxPayload").GetInt32(), Is.EqualTo(1_000_000));
    }

    [Test]
    public async Task Session_ids_are_unique()
    {
        var ids = new HashSet<string>();
        for (var i = 0; i < 20; i++) ids.Add(await Polling.OpenAsync());
        Assert.That(ids, Has.Count.EqualTo(20));
    }

    [TestCase("transport=polling", 5, "Unsupported protocol version")]
    [TestCase("EIO=abc&transport=polling", 5, "Unsupported protocol version")]
    [TestCase("EIO=3&transport=polling", 5, "Unsupported protocol version")]
    [TestCase("EIO=4", 0, "Transport unknown")]
    [TestCase("EIO=4&transport=abc", 0, "Transport unknown")]
    [TestCase("EIO=4&transport=polling&sid=nope", 1, "Session ID unknown")]
    [TestCase("EIO=4&transport=websocket", 3, "Bad request")]
    public async Task Bad_requests_get_Node_error_bodies(string query, int code, string message)
    {
        var (status, body, response) = await Polling.SendAsync(HttpMethod.Get, query);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(body, Is.EqualTo($"{{\"code\":{code},\"message\":\"{message}\"}}"));
    }

    [TestCase("POST")]
    [TestCase("PUT")]
    public async Task A_handshake_other_than_GET_is_refused(string method)
    {
        var (status, body, _) = await Polling.SendAsync(new HttpMethod(method), "EIO=4&transport=polling", "");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Is.EqualTo("{\"code\":2,\"message\":\"Bad handshake method\"}"));
    }

    [TestCase("4hello")]
    [TestCase("4test1\u001e4test2\u001e4test3")]
    [TestCase("4hello\u001ebAQIDBA==")]
    [TestCase("4h\u00e9llo \ud83d\ude00 \u4e2d\u6587")]
    [TestCase("4")]
    public async Task Payloads_are_echoed(string payload)
    {
        var sid = await Polling.OpenAsync();
        var post = await Polling.PostAsync(sid, payload);
        Assert.That(post, Is.EqualTo((HttpStatusCode.OK, "ok")));
        var poll = await Polling.GetAsync(sid);
        Assert.That(poll, Is.EqualTo((HttpStatusCode.OK, payload)));
    }

    [TestCase("abc")]
    [TestCase("4hello\u001e9bad")]
    [TestCase("")]
    public async Task An_invalid_payload_closes_the_session(string payload)
    {
        var sid = await Polling.OpenAsync();
        await Polling.PostAsync(sid, payload);
        var poll = await Polling.GetAsync(sid);
        Assert.That(poll.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(poll.Body, Is.EqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}"));
    }

    [Test]
    public async Task A_second_concurrent_poll_closes_the_session()
    {
        var sid = await Polling.OpenAsync();
        var first = Polling.GetAsync(sid);
        await Task.Delay(50);
        var second = await Polling.GetAsync(sid);
        Assert.That(second.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await first, Is.EqualTo((HttpStatusCode.OK, "1")));
        Assert.That((await Polling.GetAsync(sid)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_close_packet_ends_the_pending_poll_with_noop()
    {
        var sid = await Polling.OpenAsync();
        var poll = Polling.GetAsync(sid);
        await Task.Delay(50);
        Assert.That(await Polling.PostAsync(sid, "1"), Is.EqualTo((HttpStatusCode.OK, "ok")));
        Assert.That(await poll, Is.EqualTo((HttpStatusCode.OK, "6")));
        Assert.That((await Polling.GetAsync(sid)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task An_oversize_post_is_refused_and_closes_the_session_while_others_keep_working()
    {
        var victim = await Polling.OpenAsync();
        var bystander = await Polling.OpenAsync();
        var big = "4" + new string('x', 1_000_001);
        var post = await Polling.PostAsync(victim, big);
        Assert.That(post.Status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((await Polling.GetAsync(victim)).Status, Is.EqualTo(HttpStatusCode.BadRequest));

        Assert.That(await Polling.PostAsync(bystander, "4still here"), Is.EqualTo((HttpStatusCode.OK, "ok")));
        var poll = await Polling.GetAsync(bystander);
        Assert.That(poll.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(poll.Body.Split('\u001e').Where(p => p != "2"), Is.EqualTo(new[] { "4still here" })); // a ping may come first
    }

    [Test]
    public async Task A_payload_of_exactly_max_size_is_accepted()
    {
        var sid = await Polling.OpenAsync();
        var payload = "4" + new string('y', 999_999);
        Assert.That(await Polling.PostAsync(sid, payload), Is.EqualTo((HttpStatusCode.OK, "ok")));
        Assert.That((await Polling.GetAsync(sid)).Body, Has.Length.EqualTo(1_000_000));
    }

    [Test]
    public async Task Binary_content_type_is_refused_in_protocol_v4()
    {
        var sid = await Polling.OpenAsync();
        using var http = new HttpClient();
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new("application/octet-stream");
        using var response = await http.PostAsync(Polling.Url($"EIO=4&transport=polling&sid={sid}"), content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Polling.GetAsync(sid)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task TheServer_pings_and_accepts_pongs()
    {
        var sid = await Polling.OpenAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.That(await Polling.GetAsync(sid), Is.EqualTo((HttpStatusCode.OK, "2")));
            Assert.That(await Polling.PostAsync(sid, "3"), Is.EqualTo((HttpStatusCode.OK, "ok")));
        }
    }

    [Test]
    public async Task A_client_that_never_answers_pings_is_closed()
    {
        var sid = await Polling.OpenAsync();
        await Task.Delay(300 + 200 + 500); // slack for a loaded machine; the timer itself fires at 500 ms
        Assert.That((await Polling.GetAsync(sid)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Polling_responses_forbid_caching()
    {
        var (_, _, response) = await Polling.SendAsync(HttpMethod.Get, "EIO=4&transport=polling");
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }
}
