using System.Text.Json.Nodes;
using SocketIoServer.Engine;
using SocketIoServer.Parser;

namespace SocketIoServer.Server;

/// <summary>
/// The Socket.IO side of one Engine.IO connection: decodes its packets, keeps its sockets (one per namespace) and
/// writes encoded packets to it. Engine calls for one connection never overlap, so decoding needs no lock.
/// </summary>
public sealed partial class Client
{
    private readonly IoServer _server;
    private readonly IPacketDecoder _decoder;
    private readonly Dictionary<string, Socket> _sockets = new(1, StringComparer.Ordinal);
    // namespaces whose CONNECT is being handled, with the packets that arrived for them meanwhile (in order)
    // (made on the first CONNECT and dropped once none is in progress: an idle connection keeps none)
    private Dictionary<string, List<SocketIoPacket>>? _connecting;

    // a private object that exists anyway, rather than one more lock object per connection
    private object Gate => _sockets;
    private ITimer? _connectTimer;

    internal Client(IoServer server, EngineConnection connection)
    {
        _server = server;
        Connection = connection;
        _decoder = server.Parser.CreateDecoder(server.Options.MaxAttachments);
        _connectTimer = server.Time.CreateTimer(static s => ((Client)s!).OnConnectTimeout(), this,
            server.Options.ConnectTimeout, Timeout.InfiniteTimeSpan);
    }

    public EngineConnection Connection { get; }

    /// <summary>Queues an encoded packet and its attachments; false when dropped (closed, or volatile and not writable).</summary>
    internal bool Write(EncodedPacket packet, bool volatileFlag, bool compress = true)
    {
        if (volatileFlag && !Connection.IsWritable) return false;
        var frame = FrameOf(packet, compress);
        return packet.Attachments.Length == 0 ? Connection.Send(frame) : Connection.SendBatch(frame, packet.Attachments);
    }

    /// <summary>
    /// As <see cref="Write"/>, but a one-frame packet (text, or a binary parser's message) is only queued: the caller
    /// flushes the connection later (a large broadcast). Packets with attachments are written at once.
    /// </summary>
    internal bool WriteDeferred(EncodedPacket packet, bool volatileFlag, bool compress = true)
    {
        if (packet.Attachments.Length > 0) return Write(packet, volatileFlag, compress);
        if (volatileFlag && !Connection.IsWritable) return false;
        return Connection.SendDeferred(FrameOf(packet, compress));
    }

    private static OutboundFrame FrameOf(EncodedPacket packet, bool compress)
    {
        var frame = packet.IsBinary ? OutboundFrame.Binary(packet.Text) : OutboundFrame.Text(packet.Text);
        return compress ? frame : frame.WithoutCompression();
    }

    internal void OnText(ReadOnlySpan<byte> utf8)
    {
        SocketIoPacket? packet;
        try
        {
            packet = _decoder.DecodeText(utf8);
        }
        catch (PacketParseException ex)
        {
            OnParseError(ex);
            return;
        }
        if (packet is not null) Dispatch(packet);
    }

    internal void OnBinary(ReadOnlySpan<byte> data)
    {
        SocketIoPacket? packet;
        try
        {
            packet = _decoder.DecodeBinary(data);
        }
        catch (PacketParseException ex)
        {
            OnParseError(ex);
            return;
        }
        if (packet is not null) Dispatch(packet);
    }

    /// <summary>
    /// A packet that does not parse: the sockets are told (error, then "parse error"), and the connection is closed
    /// after what is queued, as Node.js does (a polling client then reads a close packet).
    /// </summary>
    private void OnParseError(PacketParseException error)
    {
        _server.Log.ParseError(Connection.Id, error.Message);
        foreach (var socket in SocketsSnapshot())
        {
            socket.OnError(error);
            socket.OnClose(DisconnectReason.ParseError, error.Message);
        }
        _decoder.Reset();
        Connection.Close();
    }

    private void Dispatch(SocketIoPacket packet)
    {
        if (Connection.Protocol == 3 && !TryReadLegacyNamespace(ref packet)) return;
        Socket? socket;
        lock (Gate)
        {
            if (_connecting is not null && _connecting.TryGetValue(packet.Namespace, out var pending))
            {
                // held until the connection handlers have run, so none of them misses an early event
                pending.Add(packet);
                return;
            }
            _sockets.TryGetValue(packet.Namespace, out socket);
        }

        if (socket is null && packet.Type == PacketType.Connect)
        {
            Connect(packet.Namespace, packet.Data as JsonObject ?? new JsonObject());
        }
        else if (socket is not null && packet.Type is not (PacketType.Connect or PacketType.ConnectError))
        {
            socket.OnPacket(packet);
        }
        else
        {
            // a packet for a namespace it did not join, or a second CONNECT: Node.js closes the connection
            Close();
        }
    }

    private void Connect(string name, JsonObject auth)
    {
        var nsp = _server.ResolveNamespace(name, auth);
        if (nsp is null)
        {
            Write(_server.Parser.EncodeInvalidNamespace(name), false);
            return;
        }

        lock (Gate) (_connecting ??= new(1, StringComparer.Ordinal))[name] = new List<SocketIoPacket>();
        _ = nsp.AddAsync(this, auth);
    }

    /// <summary>Under the gate: the namespace's CONNECT is settled.</summary>
    private void StopConnecting(string name)
    {
        if (_connecting is null) return;
        _connecting.Remove(name);
        if (_connecting.Count == 0) _connecting = null;
    }

    /// <summary>The socket is connected and its handlers are set: deliver what arrived meanwhile, then go live.</summary>
    internal void OnJoined(Socket socket)
    {
        Interlocked.Exchange(ref _connectTimer, null)?.Dispose();
        var name = socket.Namespace.Name;
        while (true)
        {
            List<SocketIoPacket> batch;
            lock (Gate)
            {
                if (_connecting is null || !_connecting.TryGetValue(name, out var pending)) return;
                if (pending.Count == 0)
                {
                    StopConnecting(name);
                    if (socket.IsConnected) _sockets[name] = socket;
                    break;
                }
                batch = [.. pending];
                pending.Clear();
            }

            foreach (var packet in batch)
            {
                if (packet.Type is PacketType.Connect or PacketType.ConnectError)
                {
                    // a second CONNECT for a namespace already joined: Node.js closes the connection
                    lock (Gate) StopConnecting(name);
                    socket.OnClose(DisconnectReason.ForcedServerClose, null);
                    Close();
                    return;
                }
                socket.OnPacket(packet);
            }
        }

        // the connection may have closed while the socket was joining
        if (!Connection.IsOpen) socket.OnClose(DisconnectReason.TransportClose, null);
    }

    internal void OnJoinFailed(string nsp)
    {
        lock (Gate) StopConnecting(nsp);
    }

    internal void Remove(Socket socket)
    {
        lock (Gate)
        {
            if (_sockets.TryGetValue(socket.Namespace.Name, out var current) && ReferenceEquals(current, socket))
                _sockets.Remove(socket.Namespace.Name);
        }
    }

    private List<Socket> SocketsSnapshot()
    {
        lock (Gate) return _sockets.Values.ToList();
    }

    /// <summary>Disconnects every socket (each gets a DISCONNECT packet), then closes the connection.</summary>
    internal void DisconnectAll()
    {
        foreach (var socket in SocketsSnapshot()) socket.Disconnect();
        Close();
    }

    /// <summary>Closes the connection once what is queued has gone out; sockets left see "forced server close".</summary>
    internal void Close()
    {
        if (!Connection.IsOpen) return;
        // the sockets first: closing the connection may finish at once and report its own reason
        OnEngineClosed(DisconnectReason.ForcedServerClose, null);
        Connection.Close();
    }

    private void OnConnectTimeout()
    {
        bool joined;
        lock (Gate) joined = _sockets.Count > 0;
        if (!joined)
        {
            _server.Log.ConnectTimeout(Connection.Id);
            Close();
        }
    }

    internal void OnEngineClosed(string reason, string? description)
    {
        Interlocked.Exchange(ref _connectTimer, null)?.Dispose();
        foreach (var socket in SocketsSnapshot()) socket.OnClose(reason, description);
        _decoder.Reset();
    }
}
