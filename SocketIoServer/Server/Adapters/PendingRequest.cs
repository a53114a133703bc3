using System.Text.Json.Nodes;

namespace SocketIoServer.Server.Adapters;

/// <summary>
/// A request this node sent to the others, waiting for <see cref="Expected"/> responses (one per other node) or its
/// timeout: whichever comes first completes it, with what came.
/// </summary>
internal sealed class PendingRequest(int expected)
{
    private readonly Lock _gate = new();
    private readonly List<JsonNode?> _responses = new();
    private readonly TaskCompletionSource<List<JsonNode?>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Expected { get; } = expected;

    public void Add(JsonNode? response)
    {
        lock (_gate)
        {
            _responses.Add(response);
            if (_responses.Count >= Expected) _done.TrySetResult(_responses.ToList());
        }
    }

    /// <summary>The responses, or <see cref="TimeoutException"/> (with how many came) when not all came in time.</summary>
    public async Task<List<JsonNode?>> WaitAsync(TimeSpan timeout, string what)
    {
        if (Expected <= 0) return [];
        var winner = await Task.WhenAny(_done.Task, Task.Delay(timeout));
        if (winner == _done.Task) return await _done.Task;
        int count;
        lock (_gate) count = _responses.Count;
        throw new TimeoutException($"timeout reached while waiting for {what} response: only {count} responses received out of {Expected}");
    }
}
