using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace SocketIoServer.Tests.Support;

/// <summary>
/// A WebSocket client written at the byte level, to send what well-behaved clients never send (unmasked frames,
/// reserved bits, characters split across frames, bad close codes) and to see each frame the server writes.
/// </summary>
public sealed class RawFrameClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    // bytes read but not yet taken: _buffer[_start.._end]
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    private RawFrameClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public record Frame(bool Fin, int Opcode, byte[] Payload, bool Compressed = false)
    {
        public string Text => Encoding.UTF8.GetString(Payload);

        public int CloseCode => Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : 1005;
    }

    public static async Task<RawFrameClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawFrameClient(tcp);
    }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    public static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    public static string UpgradeRequest(string target, string key, string extraHeaders = "") =>
        $"GET {target} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extraHeaders}\r\n";

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends the upgrade request and returns the response head (status line and headers).</summary>
    public async Task<string> UpgradeAsync(string target, string? key = null, string extraHeaders = "")
    {
        await SendRawAsync(UpgradeRequest(target, key ?? NewKey(), extraHeaders));
        return await ReadHeadAsync();
    }

    /// <summary>Reads an HTTP response head; what follows it stays for the frame reader.</summary>
    public async Task<string> ReadHeadAsync(int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        while (true)
        {
            var end = Pending.IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(Pending[..end]);
                _start += end + 4;
                return head;
            }
            if (!await FillAsync(cts.Token)) throw new IOException("closed before the response head ended");
        }
    }

    /// <summary>Everything until the server closes the connection (for a plain HTTP response).</summary>
    public async Task<string> ReadToEndAsync(int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        while (await FillAsync(cts.Token)) { }
        return Encoding.UTF8.GetString(Pending);
    }

    public static byte[] EncodeFrame(int opcode, ReadOnlySpan<byte> payload, bool fin = true, bool mask = true, int rsv = 0)
    {
        using var frame = new MemoryStream();
        frame.WriteByte((byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode));
        var maskBit = mask ? 0x80 : 0;
        if (payload.Length <= 125) frame.WriteByte((byte)(maskBit | payload.Length));
        else if (payload.Length <= ushort.MaxValue)
        {
            frame.WriteByte((byte)(maskBit | 126));
            frame.WriteByte((byte)(payload.Length >> 8));
            frame.WriteByte((byte)payload.Length);
        }
        else
        {
            frame.WriteByte((byte)(maskBit | 127));
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            frame.Write(length);
        }
        var body = payload.ToArray();
        if (mask)
        {
            var key = RandomNumberGenerator.GetBytes(4);
            frame.Write(key);
            for (var i = 0; i < body.Length; i++) body[i] ^= key[i % 4];
        }
        frame.Write(body);
        return frame.ToArray();
    }

    public Task SendFrameAsync(int opcode, ReadOnlySpan<byte> payload, bool fin = true, bool mask = true, int rsv = 0) =>
        SendRawAsync(EncodeFrame(opcode, payload, fin, mask, rsv));

    public Task SendTextAsync(string text) => SendFrameAsync(0x1, Encoding.UTF8.GetBytes(text));

    /// <summary>The next frame from the server; null when it closed the connection.</summary>
    public async Task<Frame?> ReadFrameAsync(int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        while (true)
        {
            if (TryTakeFrame(out var frame)) return frame;
            if (!await FillAsync(cts.Token)) return null;
        }
    }

    /// <summary>The next text frame that is not a ping ("2") — pings are answered.</summary>
    public async Task<string?> ReadTextSkippingPingsAsync(int timeoutMs = 5000)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(timeoutMs);
            if (frame is null || frame.Opcode == 0x8) return null;
            if (frame.Opcode == 0x1 && frame.Text == "2")
            {
                await SendTextAsync("3");
                continue;
            }
            return frame.Text;
        }
    }

    /// <summary>The code of the server's close frame (1005 when it has none; -1 when the connection ended without one).</summary>
    public async Task<int> ReadCloseCodeAsync(int timeoutMs = 5000)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(timeoutMs);
            if (frame is null) return -1;
            if (frame.Opcode == 0x8) return frame.CloseCode;
        }
    }

    /// <summary>True once the server has closed the TCP connection (within the time).</summary>
    public async Task<bool> WaitForEndAsync(int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        try
        {
            while (await FillAsync(cts.Token)) { }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private bool TryTakeFrame(out Frame? frame)
    {
        frame = null;
        var data = Pending;
        if (data.Length < 2) return false;
        var length = (long)(data[1] & 0x7F);
        var offset = 2;
        if (length == 126)
        {
            if (data.Length < 4) return false;
            length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            offset = 4;
        }
        else if (length == 127)
        {
            if (data.Length < 10) return false;
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
            offset = 10;
        }
        if ((data[1] & 0x80) != 0) throw new InvalidOperationException("the server masked a frame");
        if (data.Length < offset + length) return false;
        frame = new Frame((data[0] & 0x80) != 0, data[0] & 0x0F, data.Slice(offset, (int)length).ToArray(), (data[0] & 0x40) != 0);
        _start += offset + (int)length;
        return true;
    }

    private async Task<bool> FillAsync(CancellationToken token)
    {
        if (_start > 0)
        {
            Pending.CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_buffer.Length - _end < 16 * 1024) Array.Resize(ref _buffer, _buffer.Length * 2);
        var n = await _stream.ReadAsync(_buffer.AsMemory(_end), token);
        if (n == 0) return false;
        _end += n;
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
