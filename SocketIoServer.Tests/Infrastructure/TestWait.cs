namespace SocketIoServer.Tests.Infrastructure;

/// <summary>Every wait in the integration tests goes through here, so a missing message fails in seconds.</summary>
public static class TestWait
{
    /// <summary>The longest any single wait may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The task's result, or a <see cref="TimeoutException"/> naming <paramref name="what"/> when it takes too long.
    /// The task's own exceptions (a TimeoutException subclass included) come through unchanged.
    /// </summary>
    public static async Task<T> Within<T>(this Task<T> task, string what, TimeSpan? timeout = null)
    {
        await WaitOrThrowAsync(task, what, timeout);
        return await task;
    }

    public static async Task Within(this Task task, string what, TimeSpan? timeout = null)
    {
        await WaitOrThrowAsync(task, what, timeout);
        await task;
    }

    private static async Task WaitOrThrowAsync(Task task, string what, TimeSpan? timeout)
    {
        var limit = timeout ?? Timeout;
        using var cts = new CancellationTokenSource();
        var winner = await Task.WhenAny(task, Task.Delay(limit, cts.Token));
        if (winner != task) throw new TimeoutException($"timed out after {limit.TotalSeconds} s waiting for {what}");
        await cts.CancelAsync();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after the timeout.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (started.Elapsed > limit) throw new TimeoutException($"timed out after {limit.TotalSeconds} s waiting for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>A completion source whose continuations never run inline on the thread that completes it.</summary>
    public static TaskCompletionSource<T> Source<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
