using System.Net.WebSockets;
using System.Text;

namespace SocketIoServer.Tests.Support;

/// <summary>A WebSocket client that sends and receives raw Engine.IO frames, for protocol-level tests.</summary>
public sealed class RawWebSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<RawWebSocket> ConnectAsync(string url)
    {
        var raw = new RawWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await raw._socket.ConnectAsync(new Uri(url), cts.Token);
        return raw;
    }

    /// <summary>Cuts the connection: no close frame, the TCP connection reset.</summary>
    public void Abort() => _socket.Abort();

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] data) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The next frame: text, or binary as <c>byte[]</c>; null when the server closed the socket.</summary>
    public async Task<object?> ReceiveAsync(int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            return result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(message.ToArray()) : message.ToArray();
        }
    }

    /// <summary>The next text frame that is not a ping ("2"), answering pings with pongs.</summary>
    public async Task<string?> ReceiveTextSkippingPingsAsync(int timeoutMs = 5000)
    {
        while (true)
        {
            var frame = await ReceiveAsync(timeoutMs);
            if (frame is null) return null;
            if (frame is string s)
            {
                if (s == "2")
                {
                    await SendTextAsync("3");
                    continue;
                }
                return s;
            }
            throw new InvalidOperationException("expected a text frame, got binary");
        }
    }

    /// <summary>Waits until the server closes the socket; true when it did within the time.</summary>
    public async Task<bool> WaitForCloseAsync(int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                var frame = await ReceiveAsync((int)Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds));
                if (frame is null) return true;
            }
        }
        catch (WebSocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(1000);
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        _socket.Dispose();
    }
}
