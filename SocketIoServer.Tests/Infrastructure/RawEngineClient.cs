using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace SocketIoServer.Tests.Infrastructure;

/// <summary>
/// A bare Engine.IO v4 client over a <see cref="ClientWebSocket"/>, for what the SocketIOClient package cannot
/// do: stay silent (never CONNECT, never answer pings), send malformed packets, drop the TCP connection, read raw
/// CONNECT_ERROR payloads. Binary frames are ignored.
/// </summary>
public sealed class RawEngineClient : IAsyncDisposable
{
    private readonly ClientWebSocket _ws = new();
    private readonly Channel<string> _incoming = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = TestWait.Source<WebSocketCloseStatus?>();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiveLoop = Task.CompletedTask;

    private RawEngineClient(bool answerPings) => AnswerPings = answerPings;

    /// <summary>Whether engine pings ("2") are answered with a pong ("3"); false makes the server time out.</summary>
    public bool AnswerPings { get; set; }

    /// <summary>The engine open packet's payload (sid, pingInterval...).</summary>
    public JsonObject Handshake { get; private set; } = new();

    public string Sid => Handshake["sid"]!.GetValue<string>();

    /// <summary>Completes when the server closes the WebSocket (or the connection breaks).</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    private int _pingsReceived;

    /// <summary>How many engine pings the server sent.</summary>
    public int PingsReceived => Volatile.Read(ref _pingsReceived);

    public static async Task<RawEngineClient> ConnectAsync(string baseUrl, bool answerPings = true, string path = "/socket.io/")
    {
        var client = new RawEngineClient(answerPings);
        var uri = new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + path + "?EIO=4&transport=websocket");
        await client._ws.ConnectAsync(uri, CancellationToken.None).Within("the raw WebSocket to open");
        client._receiveLoop = Task.Run(client.ReceiveLoopAsync);
        var open = await client.ReceiveAsync(m => m.StartsWith('0'));
        client.Handshake = JsonNode.Parse(open[1..])!.AsObject();
        return client;
    }

    /// <summary>Sends one Engine.IO text packet as is (e.g. "40" for a Socket.IO CONNECT to "/").</summary>
    public async Task SendAsync(string packet)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _ws.SendAsync(Encoding.UTF8.GetBytes(packet), WebSocketMessageType.Text, true, CancellationToken.None).Within("a raw send");
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next text packet matching <paramref name="predicate"/> (others are skipped).</summary>
    public async Task<string> ReceiveAsync(Func<string, bool>? predicate = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestWait.Timeout);
        try
        {
            while (true)
            {
                var message = await _incoming.Reader.ReadAsync(cts.Token);
                if (predicate is null || predicate(message)) return message;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("timed out waiting for a raw engine packet");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("the raw WebSocket closed before the expected packet came");
        }
    }

    /// <summary>The next Socket.IO packet (Engine.IO message "4..."), without the engine prefix, e.g. "0{"sid":..}".</summary>
    public async Task<string> ReceiveSocketIoAsync(Func<string, bool>? predicate = null, TimeSpan? timeout = null) =>
        (await ReceiveAsync(m => m.StartsWith('4') && (predicate?.Invoke(m[1..]) ?? true), timeout))[1..];

    /// <summary>Closes the TCP connection without a WebSocket close handshake.</summary>
    public void Abort() => _ws.Abort();

    /// <summary>Starts a WebSocket close handshake.</summary>
    public Task CloseAsync() => _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).Within("raw close");

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _ws.ReceiveAsync(buffer, _stop.Token);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(result.CloseStatus);
                    break;
                }
                if (result.MessageType != WebSocketMessageType.Text) continue;
                var text = Encoding.UTF8.GetString(message.ToArray());
                if (text == "2")
                {
                    Interlocked.Increment(ref _pingsReceived);
                    if (AnswerPings) await SendAsync("3");
                }
                _incoming.Writer.TryWrite(text);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _ws.Abort();
        try
        {
            await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // best effort
        }
        _ws.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
