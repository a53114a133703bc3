using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SocketIoServer.Tests.Support;

/// <summary>Raw Engine.IO v3 (EIO=3) long-polling requests, with the body as bytes (v3 payloads may be binary).</summary>
public sealed class PollingV3(string baseUrl, string path = "/engine.io/") : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public sealed record Response(HttpStatusCode Status, string? ContentType, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    /// <param name="b64">Ask for binary as base64 text (the <c>b64=1</c> of clients without XHR2).</param>
    public string Url(string sid, bool b64 = false) =>
        $"{baseUrl}{path}?EIO=3&transport=polling{(b64 ? "&b64=1" : "")}{(sid.Length > 0 ? "&sid=" + sid : "")}";

    /// <summary>Handshake; returns the sid and the open packet's JSON (after the <c>len:0</c> prefix).</summary>
    public async Task<(string Sid, string OpenJson, Response Response)> OpenAsync(bool b64 = false)
    {
        var response = await SendAsync(HttpMethod.Get, Url("", b64));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
        var text = response.Text;
        var colon = text.IndexOf(':');
        Assert.That(text[(colon + 1)..], Does.StartWith("0{"));
        var open = text[(colon + 2)..(colon + 1 + int.Parse(text[..colon]))];
        return (JsonDocument.Parse(open).RootElement.GetProperty("sid").GetString()!, open, response);
    }

    public Task<Response> GetAsync(string sid) => SendAsync(HttpMethod.Get, Url(sid));

    public Task<Response> PostAsync(string sid, string payload) =>
        SendAsync(HttpMethod.Post, Url(sid), new StringContent(payload, Encoding.UTF8, "text/plain"));

    public Task<Response> PostBinaryAsync(string sid, byte[] payload)
    {
        var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return SendAsync(HttpMethod.Post, Url(sid), content);
    }

    public async Task<Response> SendAsync(HttpMethod method, string url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        using var response = await _http.SendAsync(request);
        return new Response(response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync());
    }

    public void Dispose() => _http.Dispose();
}
