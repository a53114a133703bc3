using System.Text.Json.Nodes;

namespace SocketIoServer.Server;

/// <summary>Gathers the acknowledgements of one broadcast until every receiver answered or time ran out.</summary>
internal sealed class BroadcastAckCollector
{
    private readonly Lock _gate = new();
    private readonly List<JsonNode?> _responses = new();
    private readonly TaskCompletionSource<IReadOnlyList<JsonNode?>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expected;
    private bool _counted;

    public void AddExpected(int count)
    {
        lock (_gate) _expected += count;
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

    public void AllNodesCounted()
    {
        lock (_gate)
        {
            _counted = true;
            CompleteIfDone();
        }
    }

    private void CompleteIfDone()
    {
        if (_counted && _responses.Count >= _expected) _done.TrySetResult(_responses.ToList());
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
