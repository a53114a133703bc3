using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SocketIoServer.Engine;
using SocketIoServer.Parser;

namespace SocketIoServer.Server;

/// <summary>
/// The Socket.IO server (Node.js's <c>io</c>): namespaces on top of one Engine.IO server. The members that take
/// no namespace act on the main namespace "/".
/// </summary>
public sealed partial class IoServer : IEngineHandler, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Namespace> _namespaces = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile bool _started;
    private List<ParentNamespace> _parents = new();

    public IoServer(SocketIoOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        options.Validate();
        Options = options;
        Time = time ?? TimeProvider.System;
        Log = new ServerLog(loggerFactory.CreateLogger("SocketIoServer.Server"));
        Engine = new EngineServer(options.Engine, this, loggerFactory.CreateLogger("SocketIoServer.Engine"), Time);
        MainNamespace = Of("/");
    }

    public SocketIoOptions Options { get; }

    public EngineServer Engine { get; }

    internal TimeProvider Time { get; }

    /// <summary>The packet format of every connection (<see cref="SocketIoOptions.Parser"/>).</summary>
    public IPacketParser Parser => Options.Parser;

    internal ServerLog Log { get; }

    public Namespace MainNamespace { get; }

    public IReadOnlyDictionary<string, Namespace> Namespaces => _namespaces;

    /// <summary>Handles one HTTP request addressed to the server's path.</summary>
    public Task HandleRequestAsync(HttpContext context) => Engine.HandleRequestAsync(context);

    /// <summary>Returns the namespace of that name, creating it when needed.</summary>
    public Namespace Of(string name)
    {
        if (name.Length == 0 || name[0] != '/') name = "/" + name;
        return GetOrCreate(name, null);
    }

    /// <summary>
    /// The namespace of that name, created once (the adapter factory is called once per namespace: a cluster adapter
    /// registers itself); one created after start-up has its adapter started at once, as Node.js adapters subscribe
    /// on creation, so that a namespace made later (a dynamic child, a late <c>Of</c>) still hears the other nodes.
    /// </summary>
    private Namespace GetOrCreate(string name, ParentNamespace? parent)
    {
        if (_namespaces.TryGetValue(name, out var existing)) return existing;
        Namespace created;
        lock (_gate)
        {
            if (_namespaces.TryGetValue(name, out existing)) return existing;
            created = new Namespace(this, name, parent);
            _namespaces[name] = created;
        }
        if (_started) _ = InitLateAsync(created);
        return created;
    }

    private async Task InitLateAsync(Namespace nsp)
    {
        try
        {
            await nsp.InitAdapterAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed("adapter start of " + nsp.Name, ex);
        }
    }

    /// <summary>A dynamic namespace: every name the regular expression matches.</summary>
    public ParentNamespace Of(Regex pattern) => Of((name, _) => pattern.IsMatch(name));

    /// <summary>A dynamic namespace: every name (with the CONNECT auth payload) the predicate accepts.</summary>
    public ParentNamespace Of(Func<string, JsonObject, bool> predicate)
    {
        var parent = new ParentNamespace(this, predicate);
        lock (_gate) _parents = [.. _parents, parent];
        return parent;
    }

    internal Namespace? ResolveNamespace(string name, JsonObject auth)
    {
        if (_namespaces.TryGetValue(name, out var nsp)) return nsp;
        foreach (var parent in _parents)
        {
            if (!parent.Matches(name, auth)) continue;
            var child = GetOrCreate(name, parent);
            parent.AddChild(child);
            return child;
        }
        return null;
    }

    internal void RemoveChildNamespace(Namespace child)
    {
        if (_namespaces.TryRemove(new(child.Name, child)))
        {
            child.Parent?.RemoveChild(child);
            _ = child.Adapter.DisposeAsync().AsTask();
        }
    }

    // main namespace shortcuts
    public IoServer Use(Func<Socket, CancellationToken, ValueTask> middleware) { MainNamespace.Use(middleware); return this; }

    public IoServer Use(Action<Socket> middleware) { MainNamespace.Use(middleware); return this; }

    public IoServer OnConnection(Action<Socket> handler) { MainNamespace.OnConnection(handler); return this; }

    public BroadcastOperator To(params string[] rooms) => MainNamespace.To(rooms);

    public BroadcastOperator In(params string[] rooms) => MainNamespace.In(rooms);

    public BroadcastOperator Except(params string[] rooms) => MainNamespace.Except(rooms);

    public BroadcastOperator Local => MainNamespace.Local;

    public BroadcastOperator Volatile => MainNamespace.Volatile;

    public BroadcastOperator Timeout(TimeSpan timeout) => MainNamespace.Timeout(timeout);

    public void Emit(string eventName, params object?[] args) => MainNamespace.Emit(eventName, args);

    public Task EmitAsync(string eventName, params object?[] args) => MainNamespace.EmitAsync(eventName, args);

    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync() => MainNamespace.FetchSocketsAsync();

    public Task SocketsJoinAsync(params string[] rooms) => MainNamespace.SocketsJoinAsync(rooms);

    public Task SocketsLeaveAsync(params string[] rooms) => MainNamespace.SocketsLeaveAsync(rooms);

    public Task DisconnectSocketsAsync(bool close = false) => MainNamespace.DisconnectSocketsAsync(close);

    public Task<IReadOnlyList<JsonNode?[]>> ServerSideEmitAsync(string eventName, params object?[] args) =>
        MainNamespace.ServerSideEmitAsync(eventName, args);

    public async Task InitAsync(CancellationToken cancellationToken)
    {
        _started = true; // from now on a new namespace starts its adapter itself
        foreach (var nsp in _namespaces.Values) await nsp.InitAdapterAsync(cancellationToken);
    }

    /// <summary>Closes every connection ("server shutting down") and the adapters.</summary>
    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        foreach (var nsp in _namespaces.Values) await nsp.Adapter.DisposeAsync();
    }

    // IEngineHandler: the engine's calls, one connection at a time
    void IEngineHandler.OnOpen(EngineConnection connection)
    {
        var client = new Client(this, connection);
        connection.UserState = client;
        if (connection.Protocol == 3) client.ConnectLegacyClientToMain();
    }

    void IEngineHandler.OnMessage(EngineConnection connection, ReadOnlySpan<byte> utf8Text) =>
        ((Client)connection.UserState!).OnText(utf8Text);

    void IEngineHandler.OnBinary(EngineConnection connection, ReadOnlySpan<byte> data) =>
        ((Client)connection.UserState!).OnBinary(data);

    void IEngineHandler.OnClose(EngineConnection connection, EngineCloseReason reason, string? description) =>
        (connection.UserState as Client)?.OnEngineClosed(reason.WireName(), description);
}
