using System.Text.Json.Nodes;

namespace SocketIoServer.Server;

/// <summary>
/// An immutable description of a broadcast (rooms, exclusions, flags), built with <c>To</c>/<c>Except</c>/...,
/// and the operations that act on the sockets it selects.
/// </summary>
public readonly struct BroadcastOperator
{
    private readonly Namespace _namespace;
    private readonly BroadcastOptions _options;

    internal BroadcastOperator(Namespace nsp, BroadcastOptions options)
    {
        _namespace = nsp;
        _options = options;
    }

    public BroadcastOptions Options => _options;

    /// <summary>Adds rooms to target (union with those already named).</summary>
    public BroadcastOperator To(params string[] rooms) =>
        new(_namespace, _options with { Rooms = Union(_options.Rooms, rooms) });

    public BroadcastOperator In(params string[] rooms) => To(rooms);

    public BroadcastOperator Except(params string[] rooms) =>
        new(_namespace, _options with { Except = Union(_options.Except, rooms) });

    public BroadcastOperator Local => new(_namespace, _options with { Local = true });

    public BroadcastOperator Volatile => new(_namespace, _options with { Volatile = true });

    public BroadcastOperator Compress(bool compress) => new(_namespace, _options with { Compress = compress });

    public BroadcastOperator Timeout(TimeSpan timeout) => new(_namespace, _options with { Timeout = timeout });

    private static HashSet<string> Union(IReadOnlySet<string> current, string[] more)
    {
        var set = new HashSet<string>(current, StringComparer.Ordinal);
        foreach (var r in more) set.Add(r);
        return set;
    }

    /// <summary>Sends the event to the selected sockets; the packet is encoded once for all of them.</summary>
    public Task EmitAsync(string eventName, params object?[] args)
    {
        _namespace.ThrowIfReserved(eventName);
        return _namespace.Adapter.BroadcastAsync(new BroadcastPacket(_namespace.Name, eventName, args), _options);
    }

    /// <summary>Sends the event without waiting (failures are logged).</summary>
    public void Emit(string eventName, params object?[] args)
    {
        var task = EmitAsync(eventName, args);
        if (!task.IsCompletedSuccessfully)
        {
            var log = _namespace.Server.Log;
            task.ContinueWith(t => log.HandlerFailed("broadcast", t.Exception!), TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    /// <summary>
    /// Sends the event with an acknowledgement and collects one answer per receiver (its first argument, as
    /// Node.js does). With a timeout, answers
    /// missing when it expires make the task fail with <see cref="BroadcastAckTimeoutException"/>, which carries
    /// those that came.
    /// </summary>
    public async Task<IReadOnlyList<JsonNode?>> EmitWithAckAsync(string eventName, params object?[] args)
    {
        _namespace.ThrowIfReserved(eventName);
        var collector = new BroadcastAckCollector();
        var packet = new BroadcastPacket(_namespace.Name, eventName, args, _namespace.NextAckId());
        await _namespace.Adapter.BroadcastWithAckAsync(packet, _options, collector.AddExpected, collector.OnAck);
        // a local broadcast hears from this node only; otherwise from every node of the cluster
        collector.SetServerCount(_options.Local ? 1 : await _namespace.Adapter.ServerCountAsync());
        return await collector.WaitAsync(_options.Timeout);
    }

    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync() => _namespace.Adapter.FetchSocketsAsync(_options);

    public Task SocketsJoinAsync(params string[] rooms) => _namespace.Adapter.AddSocketsAsync(_options, rooms);

    public Task SocketsLeaveAsync(params string[] rooms) => _namespace.Adapter.DelSocketsAsync(_options, rooms);

    public Task DisconnectSocketsAsync(bool close = false) => _namespace.Adapter.DisconnectSocketsAsync(_options, close);
}
