using System.Net;
using System.Text;
using System.Text.Json;

namespace SocketIoServer.Tests.Support;

/// <summary>Raw HTTP long-polling requests against an Engine.IO path.</summary>
public sealed class Polling(string baseUrl, string path = "/engine.io/") : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string Url(string query) => $"{baseUrl}{path}?{query}";

    public async Task<string> OpenAsync()
    {
        var body = await _http.GetStringAsync(Url("EIO=4&transport=polling"));
        Assert.That(body, Does.StartWith("0"));
        return JsonDocument.Parse(body[1..]).RootElement.GetProperty("sid").GetString()!;
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string sid)
    {
        using var response = await _http.GetAsync(Url($"EIO=4&transport=polling&sid={sid}"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string sid, string payload)
    {
        using var content = new StringContent(payload, Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync(Url($"EIO=4&transport=polling&sid={sid}"), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string query, string? body = null)
    {
        var request = new HttpRequestMessage(method, Url(query));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public void Dispose() => _http.Dispose();
}
