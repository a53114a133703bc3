namespace SocketIoServer.Engine;

/// <summary>
/// The frames queued for one session, in order: any thread adds, the one transport that owns the session takes.
/// A ring buffer under a short lock instead of a channel: an idle session holds one small array (a channel keeps
/// a 32-slot segment and two preallocated waiters per connection), and adding a frame never allocates once the
/// array has room.
/// </summary>
internal sealed class FrameOutbox
{
    private const int InitialCapacity = 4;
    // After a burst, a large array that has drained is dropped rather than kept by an idle session.
    private const int KeptCapacity = 32;

    private OutboundFrame[]? _items;
    private int _head;
    private int _count;
    private bool _completed;
    private TaskCompletionSource? _waiter;

    private object Gate => this;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds a frame; false once completed.</summary>
    public bool TryAdd(in OutboundFrame frame) => TryAddBatch(frame, []);

    /// <summary>Adds a packet and its binary attachments together, so no other frame falls between them.</summary>
    public bool TryAddBatch(in OutboundFrame first, ReadOnlySpan<ReadOnlyMemory<byte>> binaries)
    {
        TaskCompletionSource? waiter;
        lock (Gate)
        {
            if (_completed) return false;
            Append(first);
            foreach (var binary in binaries) Append(OutboundFrame.Binary(binary));
            waiter = TakeWaiter();
        }
        waiter?.TrySetResult();
        return true;
    }

    public bool TryTake(out OutboundFrame frame)
    {
        lock (Gate)
        {
            if (_count == 0)
            {
                frame = default;
                return false;
            }
            var items = _items!;
            frame = items[_head];
            items[_head] = default; // the buffer may be shared by a broadcast: do not keep it alive
            _head = (_head + 1) % items.Length;
            Volatile.Write(ref _count, _count - 1);
            if (_count == 0)
            {
                _head = 0;
                if (items.Length > KeptCapacity) _items = null;
            }
            return true;
        }
    }

    /// <summary>No more frames will be accepted; those queued can still be taken.</summary>
    public void Complete()
    {
        TaskCompletionSource? waiter;
        lock (Gate)
        {
            _completed = true;
            waiter = TakeWaiter();
        }
        waiter?.TrySetResult();
    }

    /// <summary>Completes when a frame is queued or the outbox completes (for the long-polling GET).</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            if (_count > 0 || _completed) return Task.CompletedTask;
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task.WaitAsync(cancellationToken);
        }
    }

    private void Append(in OutboundFrame frame)
    {
        var items = _items;
        if (items is null) items = _items = new OutboundFrame[InitialCapacity];
        else if (_count == items.Length) items = Grow(items);
        items[(_head + _count) % items.Length] = frame;
        Volatile.Write(ref _count, _count + 1);
    }

    private OutboundFrame[] Grow(OutboundFrame[] items)
    {
        var bigger = new OutboundFrame[items.Length * 2];
        for (var i = 0; i < _count; i++) bigger[i] = items[(_head + i) % items.Length];
        _head = 0;
        return _items = bigger;
    }

    private TaskCompletionSource? TakeWaiter()
    {
        var waiter = _waiter;
        _waiter = null;
        return waiter;
    }
}
