using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LoadGenerator;

/// <summary>Receives the Socket.IO packets (text after the Engine.IO "4") of a <see cref="WsClient"/>.</summary>
internal interface IPacketSink
{
    /// <summary>Runs on the client's receive loop; <paramref name="packet"/> starts with the Socket.IO type digit.</summary>
    void OnPacket(WsClient client, ReadOnlySpan<byte> packet);
}

/// <summary>Error counters shared by all clients of a run.</summary>
internal static class Errors
{
    public static long UnexpectedCloses;
    public static long SendFailures;
    public static long ProtocolErrors;
    public static string? FirstError;

    public static void Note(string message) => Interlocked.CompareExchange(ref FirstError, message, null);
}

/// <summary>
/// A lean Engine.IO v4 / Socket.IO v5 client over a raw TCP socket speaking RFC 6455 itself: one receive buffer,
/// one pooled awaitable receive per socket, synchronous masked sends under a lock, pings answered inline. Connects
/// to the main namespace "/" and reports every other Socket.IO packet to its sink.
/// </summary>
internal sealed class WsClient
{
    private readonly Socket _socket;
    private readonly object _sendLock = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _recv = new byte[1024];
    private int _start;
    private int _end;
    private byte[] _send = new byte[128];
    private byte[]? _fragment;
    private int _fragmentLength;
    private uint _mask;
    private volatile bool _closing;

    public WsClient(int id, IPacketSink? sink)
    {
        Id = id;
        Sink = sink;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _mask = (uint)Random.Shared.Next() | 1;
    }

    public int Id { get; }

    public IPacketSink? Sink { get; set; }

    /// <summary>Scenario state: next ack id to use.</summary>
    public int NextAckId;

    /// <summary>Scenario state: send time (µs) of the request in flight.</summary>
    public long SentAtMicros;

    /// <summary>Scenario state: a pending acknowledgement.</summary>
    public TaskCompletionSource? PendingAck;

    public static byte[] BuildUpgradeRequest(IPEndPoint server, string path)
    {
        Span<byte> key = stackalloc byte[16];
        Random.Shared.NextBytes(key);
        return Encoding.ASCII.GetBytes(
            $"GET {path}?EIO=4&transport=websocket HTTP/1.1\r\n" +
            $"Host: {server}\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {Convert.ToBase64String(key)}\r\n" +
            "Sec-WebSocket-Version: 13\r\n\r\n");
    }

    /// <summary>TCP connect, WebSocket upgrade, Engine.IO open, Socket.IO CONNECT and its reply.</summary>
    public async Task ConnectAsync(IPEndPoint server, byte[] upgradeRequest, CancellationToken ct)
    {
        await _socket.ConnectAsync(server, ct).ConfigureAwait(false);
        await _socket.SendAsync(upgradeRequest, SocketFlags.None, ct).ConfigureAwait(false);
        while (true)
        {
            if (_end == _recv.Length) Array.Resize(ref _recv, _recv.Length * 2);
            var n = await _socket.ReceiveAsync(_recv.AsMemory(_end), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0) throw new IOException("connection closed during the WebSocket upgrade");
            _end += n;
            var headerEnd = _recv.AsSpan(0, _end).IndexOf("\r\n\r\n"u8);
            if (headerEnd < 0) continue;
            if (!_recv.AsSpan(0, _end).StartsWith("HTTP/1.1 101"u8))
            {
                var line = Encoding.ASCII.GetString(_recv, 0, Math.Max(0, _recv.AsSpan(0, _end).IndexOf("\r\n"u8)));
                throw new IOException($"upgrade refused: {line}");
            }
            _start = headerEnd + 4;
            break;
        }
        _ = ReceiveLoopAsync();
        await _connected.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            ProcessFrames();
            while (!_closing)
            {
                if (_end == _recv.Length)
                {
                    if (_start > 0) Compact();
                    else Array.Resize(ref _recv, _recv.Length * 2);
                }
                var n = await _socket.ReceiveAsync(_recv.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
                if (n == 0) break;
                _end += n;
                ProcessFrames();
            }
        }
        catch (Exception ex)
        {
            if (ex is not (SocketException or ObjectDisposedException or IOException)) Interlocked.Increment(ref Errors.ProtocolErrors);
            if (!_closing) Errors.Note($"client {Id}: {ex.GetType().Name}: {ex.Message}");
        }
        if (!_closing)
        {
            Interlocked.Increment(ref Errors.UnexpectedCloses);
            Errors.Note($"client {Id}: connection closed by the server");
        }
        _connected.TrySetException(new IOException("connection closed"));
        PendingAck?.TrySetException(new IOException("connection closed"));
    }

    private void Compact()
    {
        Buffer.BlockCopy(_recv, _start, _recv, 0, _end - _start);
        _end -= _start;
        _start = 0;
    }

    private void ProcessFrames()
    {
        while (true)
        {
            var available = _end - _start;
            if (available < 2) break;
            var frame = _recv.AsSpan(_start, available);
            var b0 = frame[0];
            var b1 = frame[1];
            var header = 2;
            long length = b1 & 0x7F;
            if (length == 126)
            {
                if (available < 4) break;
                length = BinaryPrimitives.ReadUInt16BigEndian(frame[2..]);
                header = 4;
            }
            else if (length == 127)
            {
                if (available < 10) break;
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(frame[2..]);
                header = 10;
            }
            var masked = (b1 & 0x80) != 0;
            if (masked) header += 4;
            if (length > 64 << 20) throw new InvalidDataException($"frame of {length} bytes");
            var total = header + (int)length;
            if (available < total)
            {
                if (total > _recv.Length - _start)
                {
                    if (total <= _recv.Length) Compact();
                    else
                    {
                        var bigger = new byte[Math.Max(total, _recv.Length * 2)];
                        Buffer.BlockCopy(_recv, _start, bigger, 0, available);
                        _recv = bigger;
                        _end = available;
                        _start = 0;
                    }
                }
                break;
            }
            var payload = frame.Slice(header, (int)length);
            if (masked)
            {
                var key = frame.Slice(header - 4, 4);
                for (var i = 0; i < payload.Length; i++) payload[i] ^= key[i & 3];
            }
            _start += total;
            OnFrame((b0 & 0x80) != 0, b0 & 0x0F, payload);
        }
        if (_start == _end) _start = _end = 0;
    }

    private void OnFrame(bool fin, int opcode, ReadOnlySpan<byte> payload)
    {
        switch (opcode)
        {
            case 0x1 or 0x2 when fin:
                OnMessage(payload);
                break;
            case 0x1 or 0x2:
                _fragment = new byte[Math.Max(256, payload.Length * 2)];
                payload.CopyTo(_fragment);
                _fragmentLength = payload.Length;
                break;
            case 0x0:
                if (_fragment is null) throw new InvalidDataException("continuation without a first frame");
                if (_fragmentLength + payload.Length > _fragment.Length)
                    Array.Resize(ref _fragment, Math.Max(_fragment.Length * 2, _fragmentLength + payload.Length));
                payload.CopyTo(_fragment.AsSpan(_fragmentLength));
                _fragmentLength += payload.Length;
                if (fin)
                {
                    var message = _fragment.AsSpan(0, _fragmentLength);
                    _fragment = null;
                    OnMessage(message);
                }
                break;
            case 0x8:
                if (!_closing)
                {
                    Errors.Note($"client {Id}: WebSocket close frame from the server");
                    SendFrame(0x8, payload.Length >= 2 ? payload[..2] : default);
                }
                throw new IOException("WebSocket closed by the server");
            case 0x9:
                SendFrame(0xA, payload);
                break;
            case 0xA:
                break;
            default:
                throw new InvalidDataException($"WebSocket opcode {opcode}");
        }
    }

    private void OnMessage(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty) return;
        switch (message[0])
        {
            case (byte)'0': // Engine.IO open: connect to the main namespace
                SendText("40"u8);
                break;
            case (byte)'2': // ping
                SendText("3"u8);
                break;
            case (byte)'4':
                var packet = message[1..];
                if (packet.IsEmpty) return;
                if (packet[0] == (byte)'0')
                {
                    _connected.TrySetResult();
                }
                else if (packet[0] == (byte)'4')
                {
                    Interlocked.Increment(ref Errors.ProtocolErrors);
                    _connected.TrySetException(new IOException("CONNECT_ERROR " + Encoding.UTF8.GetString(packet)));
                }
                else
                {
                    Sink?.OnPacket(this, packet);
                }
                break;
            case (byte)'1': // Engine.IO close
                throw new IOException("Engine.IO close packet");
            default: // 6 (noop) and anything else
                break;
        }
    }

    public void SendText(ReadOnlySpan<byte> text) => SendFrame(0x1, text);

    private void SendFrame(int opcode, ReadOnlySpan<byte> payload)
    {
        lock (_sendLock)
        {
            var header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
            var total = header + 4 + payload.Length;
            if (_send.Length < total) _send = new byte[Math.Max(total, _send.Length * 2)];
            var frame = _send.AsSpan(0, total);
            frame[0] = (byte)(0x80 | opcode);
            if (header == 2)
            {
                frame[1] = (byte)(0x80 | payload.Length);
            }
            else if (header == 4)
            {
                frame[1] = 0x80 | 126;
                BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)payload.Length);
            }
            else
            {
                frame[1] = 0x80 | 127;
                BinaryPrimitives.WriteUInt64BigEndian(frame[2..], (ulong)payload.Length);
            }
            // xorshift32: a fresh masking key per frame, as RFC 6455 asks
            _mask ^= _mask << 13;
            _mask ^= _mask >> 17;
            _mask ^= _mask << 5;
            var key = frame.Slice(header, 4);
            BinaryPrimitives.WriteUInt32LittleEndian(key, _mask);
            var body = frame[(header + 4)..];
            for (var i = 0; i < payload.Length; i++) body[i] = (byte)(payload[i] ^ key[i & 3]);
            try
            {
                var sent = 0;
                while (sent < total) sent += _socket.Send(frame[sent..], SocketFlags.None);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                if (!_closing)
                {
                    Interlocked.Increment(ref Errors.SendFailures);
                    Errors.Note($"client {Id}: send failed: {ex.Message}");
                }
            }
        }
    }

    /// <summary>Closes the TCP connection without a handshake (the run is over).</summary>
    public void Close()
    {
        _closing = true;
        try
        {
            _socket.Dispose();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Opens <paramref name="count"/> clients with at most <paramref name="concurrency"/> handshakes in flight.</summary>
    public static async Task<ConnectResult> ConnectManyAsync(
        IPEndPoint server, int count, int firstId, int concurrency, Func<int, IPacketSink?> sink, TimeSpan timeout)
    {
        var clients = new WsClient?[count];
        long failures = 0;
        string? firstFailure = null;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var client = new WsClient(firstId + i, sink(firstId + i));
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await client.ConnectAsync(server, BuildUpgradeRequest(server, "/socket.io/"), cts.Token).ConfigureAwait(false);
                clients[i] = client;
            }
            catch (Exception ex)
            {
                client.Close();
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstFailure, $"{ex.GetType().Name}: {ex.Message}", null);
            }
        }).ConfigureAwait(false);
        return new ConnectResult(clients.OfType<WsClient>().ToList(), failures, firstFailure);
    }
}

internal sealed record ConnectResult(List<WsClient> Clients, long Failures, string? FirstFailure);
