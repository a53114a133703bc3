using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace SocketIoServer.Tests.Golden;

/// <summary>What the client saw: a frame (text <c>string</c> or binary <c>byte[]</c>) or the end of the connection.</summary>
public sealed record WsEvent(object? Frame, int? CloseCode = null, string? CloseReason = null, string? Error = null)
{
    public bool IsClose => Frame is null;

    public override string ToString() => Frame switch
    {
        string s => "text " + GoldenJson.Show(s),
        byte[] b => "binary " + Convert.ToBase64String(b),
        _ => Error is null ? $"close {CloseCode} '{CloseReason}'" : $"connection lost ({Error})",
    };
}

/// <summary>
/// A WebSocket client like the recording one (ws): a background reader queues every frame; with
/// <c>autoPong</c> a server ping "2" is answered with "3" at once and not queued (as the generator did).
/// A close without a status code is reported as 1005 and a connection lost without a close frame as 1006,
/// as ws reports them.
/// </summary>
public sealed class GoldenWebSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly bool _autoPong;
    private readonly Channel<WsEvent> _events = Channel.CreateUnbounded<WsEvent>();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;

    private GoldenWebSocket(ClientWebSocket socket, bool autoPong)
    {
        _socket = socket;
        _autoPong = autoPong;
    }

    public static async Task<GoldenWebSocket> ConnectAsync(int port, string path, bool autoPong)
    {
        var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}{path}"), cts.Token);
        var ws = new GoldenWebSocket(socket, autoPong);
        ws._reader = Task.Run(ws.ReadLoopAsync);
        return ws;
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var code = _socket.CloseStatus is { } status ? (int)status : 1005;
                    _events.Writer.TryWrite(new WsEvent(null, code, _socket.CloseStatusDescription ?? ""));
                    try
                    {
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            using var cts = new CancellationTokenSource(1000);
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.Empty, null, cts.Token);
                        }
                    }
                    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
                    {
                    }
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var bytes = message.ToArray();
                message.SetLength(0);
                object frame = result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(bytes) : bytes;
                if (_autoPong && frame is "2")
                {
                    await TrySendAsync("3");
                    continue;
                }
                _events.Writer.TryWrite(new WsEvent(frame));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            _events.Writer.TryWrite(new WsEvent(null, 1006, "", ex.GetType().Name + ": " + ex.Message));
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private async Task TrySendAsync(string text)
    {
        try
        {
            await SendAsync(text);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    /// <summary>Sends a text (<c>string</c>) or binary (<c>byte[]</c>) frame.</summary>
    public async Task SendAsync(object frame)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (frame is string text)
                await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
            else
                await _socket.SendAsync((byte[])frame, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends, ignoring a failure because the server closed the connection meanwhile (it is checked later).</summary>
    public async Task SendIgnoringCloseAsync(object frame)
    {
        try
        {
            await SendAsync(frame);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
        }
    }

    /// <summary>The next frame or close; null on timeout.</summary>
    public async Task<WsEvent?> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _events.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return new WsEvent(null, 1006, "", "no more events");
        }
    }

    /// <summary>The client closes with 1000; returns the events seen before the server's close (should be none).</summary>
    public async Task<(List<WsEvent> Unexpected, WsEvent? Close)> ClientCloseAsync(TimeSpan timeout)
    {
        await _sendLock.WaitAsync();
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            _sendLock.Release();
        }
        var unexpected = new List<WsEvent>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var e = await NextAsync(deadline - DateTime.UtcNow);
            if (e is null) break;
            if (e.IsClose) return (unexpected, e);
            unexpected.Add(e);
        }
        return (unexpected, null);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(500);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
        await _stop.CancelAsync();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
        }
        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
