using System.Data.Common;
using Dapper;

namespace SocketIoServer.Chat.Storage;

// Conversations and their members where both backends run the same statements (ids sort byte-wise: Bytewise).
// Creating one and joining an open room stay in each backend: PostgreSQL inserts the members in one statement and
// settles "create if absent" with ON CONFLICT, SQLite under its write lock.
internal abstract partial class SqlChatStoreBase<TTime, TClock>
{
    /// <summary>
    /// What follows <c>SELECT ... FROM conversations WHERE id = ...</c> to lock the row until the transaction ends
    /// (SQLite: nothing, its write transactions already run one at a time).
    /// </summary>
    protected abstract string ConversationRowLock { get; }

    public async Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginReadAsync(connection, cancellationToken);
        return await LoadConversationAsync(connection, transaction, conversationId, cancellationToken);
    }

    public async Task<IReadOnlyList<Conversation>> ListConversationsAsync(string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginReadAsync(connection, cancellationToken);
        var rows = await connection.QueryAsync<ConversationRow<TTime, TClock>>(Command($"""
            SELECT {StoreColumns.Conversation} FROM conversations c
            JOIN conversation_members mine ON mine.conversation_id = c.id AND mine.user_id = @userId
            ORDER BY COALESCE(c.last_message_at, c.updated_at) DESC, {Bytewise("c.id")}
            """, new { userId }, transaction, cancellationToken));
        var members = (await connection.QueryAsync<MemberRow>(Command($"""
            SELECT m.conversation_id AS ConversationId, m.user_id AS UserId FROM conversation_members m
            WHERE m.conversation_id IN (SELECT conversation_id FROM conversation_members WHERE user_id = @userId)
            ORDER BY m.conversation_id, m.joined_at, {Bytewise("m.user_id")}
            """, new { userId }, transaction, cancellationToken)))
            .GroupBy(m => m.ConversationId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(m => m.UserId).ToList());
        return rows.Select(r => r.ToConversation(members.GetValueOrDefault(r.Id, []))).ToList();
    }

    public async Task<Conversation?> UpdateTitleAsync(string conversationId, string? title, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(Command(
            "UPDATE conversations SET title = @title, updated_at = @now WHERE id = @conversationId",
            new { conversationId, title, now = Now() }, transaction, cancellationToken));
        if (changed == 0) return null;
        var conversation = await LoadConversationAsync(connection, transaction, conversationId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return conversation;
    }

    public async Task<MembershipChange> AddMemberAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        StoreArguments.Id(userId, nameof(userId));
        return await ChangeMembershipAsync(conversationId, async (connection, transaction, now) =>
            await InsertMemberAsync(connection, transaction, conversationId, userId, now, cancellationToken), cancellationToken);
    }

    public async Task<MembershipChange> RemoveMemberAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        StoreArguments.Id(userId, nameof(userId));
        return await ChangeMembershipAsync(conversationId, async (connection, transaction, _) =>
            await connection.ExecuteAsync(Command("DELETE FROM conversation_members WHERE conversation_id = @conversationId AND user_id = @userId",
                new { conversationId, userId }, transaction, cancellationToken)) > 0, cancellationToken);
    }

    public async Task<bool> IsMemberAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await IsMemberAsync(connection, null, conversationId, userId, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListContactIdsAsync(string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(Command($"""
            SELECT DISTINCT {Bytewise("other.user_id")} FROM conversation_members mine
            JOIN conversations c ON c.id = mine.conversation_id AND c.kind IN ('dm', 'group')
            JOIN conversation_members other ON other.conversation_id = mine.conversation_id AND other.user_id <> mine.user_id
            WHERE mine.user_id = @userId
            ORDER BY 1
            """, new { userId }, null, cancellationToken));
        return ids.ToList();
    }

    // `now` is the backend's time parameter (Now())
    private async Task<MembershipChange> ChangeMembershipAsync(string conversationId, Func<DbConnection, DbTransaction, object, Task<bool>> change,
        CancellationToken cancellationToken)
    {
        var now = Now();
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // the row lock orders this change with the conversation's message inserts (see InsertMessageAsync)
        if (await LockConversationAsync(connection, transaction, conversationId, cancellationToken) is null) return MembershipChange.NotFound;
        var changed = await change(connection, transaction, now);
        if (changed) await TouchConversationAsync(connection, transaction, conversationId, now, cancellationToken);
        var conversation = await LoadConversationAsync(connection, transaction, conversationId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new MembershipChange(changed ? MembershipChangeStatus.Changed : MembershipChangeStatus.Unchanged, conversation);
    }

    /// <summary>
    /// Locks the conversation's row until the transaction ends (<see cref="ConversationRowLock"/>); returns its kind, or
    /// null when there is none.
    /// </summary>
    protected Task<string?> LockConversationAsync(DbConnection connection, DbTransaction transaction, string conversationId,
        CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<string?>(Command($"SELECT kind FROM conversations WHERE id = @conversationId{ConversationRowLock}",
            new { conversationId }, transaction, cancellationToken));

    protected static async Task<bool> InsertMemberAsync(DbConnection connection, DbTransaction transaction, string conversationId, string userId,
        object now, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(Command("""
            INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES (@conversationId, @userId, @now)
            ON CONFLICT DO NOTHING
            """, new { conversationId, userId, now }, transaction, cancellationToken)) > 0;

    protected static Task TouchConversationAsync(DbConnection connection, DbTransaction transaction, string conversationId, object now,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Command("UPDATE conversations SET updated_at = @now WHERE id = @conversationId",
            new { conversationId, now }, transaction, cancellationToken));

    protected async Task<Conversation?> LoadConversationAsync(DbConnection connection, DbTransaction transaction, string conversationId,
        CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ConversationRow<TTime, TClock>>(Command(
            $"SELECT {StoreColumns.Conversation} FROM conversations c WHERE c.id = @conversationId", new { conversationId }, transaction, cancellationToken));
        if (row is null) return null;
        var members = await connection.QueryAsync<string>(Command(
            $"SELECT user_id FROM conversation_members WHERE conversation_id = @conversationId ORDER BY joined_at, {Bytewise("user_id")}",
            new { conversationId }, transaction, cancellationToken));
        return row.ToConversation(members.ToList());
    }
}
