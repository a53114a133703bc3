using System.Text.Json.Nodes;

namespace SocketIoServer.Server;

/// <summary>
/// Gathers the acknowledgements of one broadcast until every receiver answered or time ran out. As Node.js's
/// broadcast operator: each node reports how many of its sockets got the packet (<see cref="AddExpected"/>), and the
/// broadcast is complete once as many nodes as the server count reported and every counted receiver answered.
/// </summary>
internal sealed class BroadcastAckCollector
{
    private readonly Lock _gate = new();
    private readonly List<JsonNode?> _responses = new();
    private readonly TaskCompletionSource<IReadOnlyList<JsonNode?>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expected;
    private int _nodesCounted;
    private int _nodes = -1; // unknown until the server count is in

    /// <summary>One node's number of receivers.</summary>
    public void AddExpected(int count)
    {
        lock (_gate)
        {
            _expected += count;
            _nodesCounted++;
            CompleteIfDone();
        }
    }

    /// <summary>One client's answer: as Node.js, its first argument is its response.</summary>
    public void OnAck(JsonNode?[] args)
    {
        lock (_gate)
        {
            _responses.Add(args.Length > 0 ? args[0] : null);
            CompleteIfDone();
        }
    }

    /// <summary>How many nodes will report a count (the adapter's server count).</summary>
    public void SetServerCount(int nodes)
    {
        lock (_gate)
        {
            _nodes = nodes;
            CompleteIfDone();
        }
    }

    private void CompleteIfDone()
    {
        if (_nodes >= 0 && _nodesCounted >= _nodes && _responses.Count >= _expected) _done.TrySetResult(_responses.ToList());
    }

    public async Task<IReadOnlyList<JsonNode?>> WaitAsync(TimeSpan? timeout)
    {
        if (timeout is not { } limit) return await _done.Task;
        var winner = await Task.WhenAny(_done.Task, Task.Delay(limit));
        if (winner == _done.Task) return await _done.Task;
        List<JsonNode?> partial;
        lock (_gate) partial = _responses.ToList();
        throw new BroadcastAckTimeoutException(partial);
    }
}

/// <summary>Not every receiver acknowledged a broadcast in time; <see cref="Responses"/> holds those that did.</summary>
public sealed class BroadcastAckTimeoutException(IReadOnlyList<JsonNode?> responses) : TimeoutException("operation has timed out")
{
    public IReadOnlyList<JsonNode?> Responses { get; } = responses;
}
