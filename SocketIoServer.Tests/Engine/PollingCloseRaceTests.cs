using System.Net;
using System.Text.Json;
using SocketIoServer.Tests.Interop;

namespace SocketIoServer.Tests.Engine;

/// <summary>
/// A client sends its next GET the moment it has read a response. The server must have let go of the previous GET
/// (and, for a closing session, of the session) by then: the next GET is a normal poll, or 400 "Session ID unknown"
/// once the close packet was delivered — never an "overlap" (which closes the session with an empty 400).
/// </summary>
public sealed class PollingCloseRaceTests
{
    [Test]
    public async Task After_the_close_packet_the_next_GET_finds_the_session_gone()
    {
        await using var app = await InteropApp.StartAsync();
        using var http = new HttpClient();
        for (var i = 0; i < 40; i++)
        {
            var baseUrl = $"{app.Url}/socket.io/?EIO=4&transport=polling";
            var open = await http.GetStringAsync(baseUrl);
            var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString();
            var url = $"{baseUrl}&sid={sid}";
            await http.PostAsync(url, new StringContent("40"));
            Assert.That(await http.GetStringAsync(url), Does.StartWith("40{"));
            await http.PostAsync(url, new StringContent("42[\"disconnect-me\",true]"));

            // polls until the session is gone; each answer must be packets ending in close, then 400 {code:1}
            for (var attempt = 0; ; attempt++)
            {
                Assert.That(attempt, Is.LessThan(4), "the session kept answering after its close packet");
                using var response = await http.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    Assert.That(body, Is.EqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}"), $"round {i}");
                    break;
                }
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                if (body.Split('\u001e')[^1] == "1") continue;
            }
        }
    }
}
