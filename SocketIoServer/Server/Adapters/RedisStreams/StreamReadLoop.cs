using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>
/// Reads the stream from one node's own connection with a blocking <c>XREAD</c> (so that waiting never holds up the
/// connection that publishes and answers), hands each entry over in stream order, and remembers how far it got
/// (<see cref="Cursor"/>). A failed read (Redis away, restarting) is retried from the same place once Redis answers.
/// It starts from the stream's last entry at the time, and stops on <see cref="DisposeAsync"/>.
/// </summary>
internal sealed class StreamReadLoop : IAsyncDisposable
{
    // a failed read is retried soon, then less often while Redis stays away (and logged once per try)
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(2);

    private readonly IConnectionMultiplexer _connection;
    private readonly RedisStreamsAdapterOptions _options;
    private readonly Action<StreamId, NameValueEntry[]> _onEntry;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;
    private readonly Task _running;
    private StreamId? _cursor;

    public StreamReadLoop(IConnectionMultiplexer connection, RedisStreamsAdapterOptions options, Action<StreamId, NameValueEntry[]> onEntry, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _onEntry = onEntry;
        _logger = logger;
        _running = Task.Run(RunAsync);
    }

    /// <summary>The id of the last entry handed over (or the stream's end when reading started); null before that.</summary>
    public StreamId? Cursor => Volatile.Read(ref _cursor);

    /// <summary>Waits until every entry up to <paramref name="id"/> was handed over; false when that takes longer than <paramref name="limit"/>.</summary>
    public async Task<bool> WaitForAsync(StreamId id, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (Cursor is not { } cursor || cursor < id)
        {
            if (DateTime.UtcNow >= deadline || _stop.IsCancellationRequested) return false;
            await Task.Delay(5);
        }
        return true;
    }

    private async Task RunAsync()
    {
        var database = _connection.GetDatabase();
        var blockMs = (long)_options.BlockTime.TotalMilliseconds;
        var retryDelay = FirstRetryDelay;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (Cursor is null) Volatile.Write(ref _cursor, await LastIdAsync(database));
                var result = await database.ExecuteAsync("XREAD", "COUNT", _options.ReadCount.ToString(CultureInfo.InvariantCulture),
                    "BLOCK", blockMs.ToString(CultureInfo.InvariantCulture), "STREAMS", _options.StreamName, Cursor!.ToString());
                retryDelay = FirstRetryDelay;
                if (result.IsNull || _stop.IsCancellationRequested) continue;
                foreach (var entries in EntriesOfEachStream(result))
                {
                    foreach (var entry in (RedisResult[])entries!)
                    {
                        var parts = (RedisResult[])entry!;
                        if (!StreamId.TryParse((string?)parts[0], out var id)) continue;
                        Hand(id, Fields((RedisResult[])parts[1]!));
                        Volatile.Write(ref _cursor, id);
                    }
                }
            }
            catch (Exception ex) when (!_stop.IsCancellationRequested)
            {
                _logger.ReadFailed(_options.StreamName, retryDelay, ex);
                try
                {
                    await Task.Delay(retryDelay, _stop.Token);
                    retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, LongestRetryDelay.Ticks));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return; // the connection closed under a read on the way out
            }
        }
    }

    /// <summary>XREAD's answer: <c>[[stream, entries], ...]</c> in RESP2, a map <c>{stream: entries}</c> in RESP3.</summary>
    private static IEnumerable<RedisResult> EntriesOfEachStream(RedisResult result)
    {
        if (result.Resp3Type == ResultType.Map) return result.ToDictionary().Values;
        return ((RedisResult[])result!).Select(stream => ((RedisResult[])stream!)[1]);
    }

    private void Hand(StreamId id, NameValueEntry[] fields)
    {
        try
        {
            _onEntry(id, fields);
        }
        catch (Exception ex)
        {
            // one bad entry must not stop the reading of the others
            _logger.MalformedMessage("stream entry " + id, _options.StreamName, ex);
        }
    }

    private static NameValueEntry[] Fields(RedisResult[] flat)
    {
        var fields = new NameValueEntry[flat.Length / 2];
        for (var i = 0; i < fields.Length; i++) fields[i] = new NameValueEntry((RedisValue)flat[2 * i], (RedisValue)flat[2 * i + 1]);
        return fields;
    }

    private async Task<StreamId> LastIdAsync(IDatabase database)
    {
        var last = await database.StreamRangeAsync(_options.StreamName, "-", "+", 1, Order.Descending);
        return last.Length > 0 && StreamId.TryParse(last[0].Id, out var id) ? id : StreamId.Zero;
    }

    /// <summary>Stops the loop and closes its connection; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        // a blocking read ends when its connection closes, at most one block time later otherwise
        await _connection.CloseAsync(allowCommandsToComplete: false);
        try
        {
            await _running.WaitAsync(_options.BlockTime + TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}
