using System.Text.Json.Nodes;
using SocketIOClient;

namespace SocketIoServer.Tests.Infrastructure;

/// <summary>An event a client received: its name, its arguments as JSON, and its binary attachments.</summary>
public sealed class ReceivedEvent
{
    public ReceivedEvent(string name, SocketIOResponse response)
    {
        Name = name;
        Response = response;
        Args = JsonNode.Parse(response.ToString())!.AsArray();
        Attachments = response.InComingBytes.ToArray();
    }

    public string Name { get; }

    public SocketIOResponse Response { get; }

    /// <summary>The arguments as sent (binary ones as their <c>{"_placeholder":true,"num":n}</c> placeholders).</summary>
    public JsonArray Args { get; }

    public IReadOnlyList<byte[]> Attachments { get; }

    /// <summary>The arguments as compact JSON, e.g. <c>[1,"a"]</c>.</summary>
    public string ArgsJson => Args.ToJsonString();

    public override string ToString() => $"{Name}{ArgsJson}";
}

/// <summary>Thread-safe record of the events one client received, with waits that time out.</summary>
public sealed class EventLog
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedEvent> _events = new();
    private readonly List<(Func<ReceivedEvent, bool> Match, TaskCompletionSource<ReceivedEvent> Done)> _waiters = new();

    public void Add(ReceivedEvent received)
    {
        List<TaskCompletionSource<ReceivedEvent>> done = new();
        lock (_gate)
        {
            _events.Add(received);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(received)) continue;
                done.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var d in done) d.TrySetResult(received);
    }

    public IReadOnlyList<ReceivedEvent> All
    {
        get
        {
            lock (_gate) return _events.ToList();
        }
    }

    public IReadOnlyList<ReceivedEvent> Named(string name)
    {
        lock (_gate) return _events.Where(e => e.Name == name).ToList();
    }

    public int Count(string name) => Named(name).Count;

    /// <summary>The first event (already received or still to come) that matches; fails after the timeout.</summary>
    public Task<ReceivedEvent> WaitAsync(string name, Func<ReceivedEvent, bool>? predicate = null, TimeSpan? timeout = null)
    {
        bool Match(ReceivedEvent e) => e.Name == name && (predicate?.Invoke(e) ?? true);
        lock (_gate)
        {
            var existing = _events.FirstOrDefault(Match);
            if (existing is not null) return Task.FromResult(existing);
            var source = TestWait.Source<ReceivedEvent>();
            _waiters.Add((Match, source));
            return source.Task.Within($"event \"{name}\"", timeout);
        }
    }

    /// <summary>Waits until <paramref name="count"/> events of that name arrived; returns them.</summary>
    public async Task<IReadOnlyList<ReceivedEvent>> WaitCountAsync(string name, int count, TimeSpan? timeout = null)
    {
        await TestWait.UntilAsync(() => Count(name) >= count, $"{count} \"{name}\" events", timeout);
        return Named(name);
    }
}
