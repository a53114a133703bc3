namespace SocketIoServer.Chat.Storage;

/// <summary>
/// The store's time: UTC, truncated to whole milliseconds. Clients see times as ISO strings with milliseconds and
/// send them back (<c>after=</c>, <c>lastSyncDate</c>); keeping no finer digits makes those comparisons exact.
/// </summary>
internal sealed class StoreClock(TimeProvider time)
{
    public DateTimeOffset Now() => Truncate(time.GetUtcNow());

    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
