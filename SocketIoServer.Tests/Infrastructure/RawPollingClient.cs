using System.Text;
using System.Text.Json.Nodes;

namespace SocketIoServer.Tests.Infrastructure;

/// <summary>
/// A bare Engine.IO v4 long-polling client: the test decides when a GET is outstanding, which the SocketIOClient
/// package (always polling) does not allow. Payload packets are split on the record separator (0x1E).
/// </summary>
public sealed class RawPollingClient : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TestWait.Timeout };
    private readonly string _baseUrl;

    private RawPollingClient(string baseUrl) => _baseUrl = baseUrl;

    public JsonObject Handshake { get; private set; } = new();

    public string Sid => Handshake["sid"]!.GetValue<string>();

    private string SessionUrl => $"{_baseUrl}/socket.io/?EIO=4&transport=polling&sid={Uri.EscapeDataString(Sid)}";

    public static async Task<RawPollingClient> OpenAsync(string baseUrl)
    {
        var client = new RawPollingClient(baseUrl);
        var open = await client._http.GetStringAsync($"{baseUrl}/socket.io/?EIO=4&transport=polling").Within("the polling handshake");
        Assert.That(open, Does.StartWith("0"));
        client.Handshake = JsonNode.Parse(open[1..])!.AsObject();
        return client;
    }

    /// <summary>POSTs packets (joined with the record separator).</summary>
    public async Task PostAsync(params string[] packets)
    {
        using var content = new StringContent(string.Join('\u001e', packets), Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync(SessionUrl, content).Within("a polling POST");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), "POST status");
    }

    /// <summary>One GET: the packets the server had queued (or sends while it waits).</summary>
    public async Task<string[]> PollAsync()
    {
        var text = await _http.GetStringAsync(SessionUrl).Within("a polling GET");
        return text.Split('\u001e');
    }

    public void Dispose() => _http.Dispose();
}
