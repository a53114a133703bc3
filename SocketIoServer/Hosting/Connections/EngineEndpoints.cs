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
            if (Serves(path, prefix, engine.Options.AddTrailingSlash)) return engine;
        return null;
    }

    /// <summary>
    /// Whether an engine on <paramref name="prefix"/> (no trailing slash) answers <paramref name="path"/>: anything
    /// below "<c>prefix/</c>", and the prefix itself only without addTrailingSlash (Node.js's rule, which the
    /// endpoint route's handler applies too).
    /// </summary>
    internal static bool Serves(string path, string prefix, bool addTrailingSlash)
    {
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return false;
        return path.Length == prefix.Length ? !addTrailingSlash : path[prefix.Length] == '/';
    }
}
