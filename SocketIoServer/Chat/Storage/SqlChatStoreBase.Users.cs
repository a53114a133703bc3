using Dapper;

namespace SocketIoServer.Chat.Storage;

// Users: the same statements on both backends.
internal abstract partial class SqlChatStoreBase<TTime, TClock>
{
    public async Task<ChatUser> UpsertUserAsync(string userId, string displayName, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        StoreArguments.DisplayName(displayName);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // updated_at moves only when the name really changes: a reconnect is not an update
        await connection.ExecuteAsync(Command("""
            INSERT INTO users (id, display_name, created_at, updated_at) VALUES (@userId, @displayName, @now, @now)
            ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, updated_at = excluded.updated_at
                WHERE users.display_name <> excluded.display_name
            """, new { userId, displayName, now = Now() }, transaction, cancellationToken));
        var row = await connection.QuerySingleAsync<UserRow<TTime, TClock>>(Command(
            $"SELECT {StoreColumns.User} FROM users WHERE id = @userId", new { userId }, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return row.ToUser();
    }

    public async Task<DateTimeOffset?> TouchLastSeenAsync(string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        var now = Clock.Now();
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(Command("UPDATE users SET last_seen_at = @now WHERE id = @userId",
            new { userId, now = TClock.Parameter(now) }, null, cancellationToken));
        return changed > 0 ? now : null;
    }

    public async Task<IReadOnlyList<ChatUser>> GetUsersAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var ids = StoreArguments.Ids(userIds, nameof(userIds));
        if (ids.Length == 0) return [];
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow<TTime, TClock>>(Command(
            $"SELECT {StoreColumns.User} FROM users WHERE {InList("id", "ids")}", new { ids }, null, cancellationToken));
        return rows.Select(r => r.ToUser()).ToList();
    }
}
