using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SocketIoServer.Server;

/// <summary>
/// A dynamic namespace: a rule matching namespace names. Each matching name becomes a child namespace that shares
/// the parent's middlewares and connection handlers; a broadcast on the parent reaches every child.
/// </summary>
public sealed class ParentNamespace
{
    private readonly Func<string, JsonObject, bool> _matches;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, Namespace> _children = new(StringComparer.Ordinal);
    private List<Func<Socket, CancellationToken, ValueTask>> _middlewares = new();
    private List<Action<Socket>> _connectionHandlers = new();

    internal ParentNamespace(IoServer server, Func<string, JsonObject, bool> matches)
    {
        Server = server;
        _matches = matches;
    }

    public IoServer Server { get; }

    public IReadOnlyCollection<Namespace> Children => (IReadOnlyCollection<Namespace>)_children.Values;

    internal IReadOnlyList<Func<Socket, CancellationToken, ValueTask>> Middlewares => _middlewares;

    internal IReadOnlyList<Action<Socket>> ConnectionHandlers => _connectionHandlers;

    internal bool Matches(string name, JsonObject auth)
    {
        try
        {
            return _matches(name, auth);
        }
        catch (Exception ex)
        {
            Server.Log.HandlerFailed("namespace predicate", ex);
            return false;
        }
    }

    internal void AddChild(Namespace child) => _children[child.Name] = child;

    internal void RemoveChild(Namespace child) => _children.TryRemove(new(child.Name, child));

    public ParentNamespace Use(Func<Socket, CancellationToken, ValueTask> middleware)
    {
        lock (_gate) _middlewares = [.. _middlewares, middleware];
        return this;
    }

    public ParentNamespace Use(Action<Socket> middleware) => Use((s, _) =>
    {
        middleware(s);
        return ValueTask.CompletedTask;
    });

    public ParentNamespace OnConnection(Action<Socket> handler)
    {
        lock (_gate) _connectionHandlers = [.. _connectionHandlers, handler];
        return this;
    }

    /// <summary>Sends an event to every socket of every child namespace.</summary>
    public async Task EmitAsync(string eventName, params object?[] args)
    {
        foreach (var child in _children.Values) await child.EmitAsync(eventName, args);
    }
}
