using SocketIoServer.Engine;

namespace SocketIoServer.Hosting.Connections;

/// <summary>
/// The engines mapped in this app and their paths, so the connection-level WebSocket handler finds the engine an
/// upgrade request is for, with the same path rules as the endpoint routes (the path itself, or below it).
/// </summary>
public sealed class EngineEndpoints
{
    private readonly Lock _gate = new();
    private volatile (string Path, EngineServer Engine)[] _engines = [];

    internal void Add(string path, EngineServer engine)
    {
        lock (_gate) _engines = [.. _engines, (path.TrimEnd('/'), engine)];
    }

    internal EngineServer? Find(string path)
    {
        foreach (var (prefix, engine) in _engines)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal)) continue;
            // as the endpoint routes: "/socket.io" itself only without addTrailingSlash (Node.js's rule)
            if (path.Length == prefix.Length ? !engine.Options.AddTrailingSlash : path[prefix.Length] == '/') return engine;
        }
        return null;
    }
}
