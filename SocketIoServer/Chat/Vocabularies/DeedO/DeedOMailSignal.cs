using System.Threading.Channels;

namespace SocketIoServer.Chat.Vocabularies.DeedO;

/// <summary>Wakes the mail sender when e-mails were queued, so it need not wait for its next poll.</summary>
public sealed class DeedOMailSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a notification or until <paramref name="timeout"/> has passed on <paramref name="time"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, stop.Token);
        var signal = _channel.Reader.WaitToReadAsync(stop.Token).AsTask();
        await Task.WhenAny(delay, signal);
        await stop.CancelAsync();
        while (_channel.Reader.TryRead(out _)) { }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
