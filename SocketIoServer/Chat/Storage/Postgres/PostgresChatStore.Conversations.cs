using Dapper;
using Npgsql;

namespace SocketIoServer.Chat.Storage;

// Ids sort with COLLATE "C" (byte order), as SQLite sorts them, whatever the database's collation.
internal sealed partial class PostgresChatStore
{
    public async Task<Conversation> CreateConversationAsync(NewConversation conversation, CancellationToken cancellationToken)
    {
        StoreArguments.NewConversation(conversation);
        var members = StoreArguments.Members(conversation);
        var id = _ids.Next();
        var now = _clock.Now();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(Command("""
            INSERT INTO conversations (id, kind, title, created_by, created_at, updated_at)
            VALUES (@id, @kind, @title, @createdBy, @now, @now)
            """, new { id, kind = conversation.Kind.ToStorage(), title = conversation.Title, createdBy = conversation.CreatedBy, now },
            transaction, cancellationToken));
        await connection.ExecuteAsync(Command("""
            INSERT INTO conversation_members (conversation_id, user_id, joined_at)
            SELECT @id, member, @now FROM unnest(@members) AS member
            """, new { id, members, now }, transaction, cancellationToken));
        var created = await LoadConversationAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created!;
    }

    public async Task<OpenConversationJoin> JoinOpenConversationAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        StoreArguments.Id(userId, nameof(userId));
        var now = _clock.Now();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // ON CONFLICT makes "create if absent" atomic: a concurrent first join waits for this one's commit, then
        // finds the row. The row lock then orders this join after message inserts and membership changes in flight.
        var created = await connection.ExecuteAsync(Command("""
            INSERT INTO conversations (id, kind, title, created_by, created_at, updated_at)
            VALUES (@conversationId, 'open', NULL, @userId, @now, @now)
            ON CONFLICT (id) DO NOTHING
            """, new { conversationId, userId, now }, transaction, cancellationToken)) > 0;
        var kind = await LockConversationAsync(connection, transaction, conversationId, cancellationToken);
        if (kind != ConversationKind.Open.ToStorage()) return OpenConversationJoin.NotOpen;
        var added = await InsertMemberAsync(connection, transaction, conversationId, userId, now, cancellationToken);
        var status = created ? OpenConversationJoinStatus.Created
            : added ? OpenConversationJoinStatus.Joined
            : OpenConversationJoinStatus.AlreadyMember;
        if (status == OpenConversationJoinStatus.Joined) await TouchConversationAsync(connection, transaction, conversationId, now, cancellationToken);
        var conversation = await LoadConversationAsync(connection, transaction, conversationId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new OpenConversationJoin(status, conversation);
    }

    public async Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginReadAsync(connection, cancellationToken);
        return await LoadConversationAsync(connection, transaction, conversationId, cancellationToken);
    }

    public async Task<IReadOnlyList<Conversation>> ListConversationsAsync(string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginReadAsync(connection, cancellationToken);
        var rows = await connection.QueryAsync<PostgresConversationRow>(Command($"""
            SELECT {PostgresColumns.Conversation} FROM conversations c
            JOIN conversation_members mine ON mine.conversation_id = c.id AND mine.user_id = @userId
            ORDER BY COALESCE(c.last_message_at, c.updated_at) DESC, c.id COLLATE "C"
            """, new { userId }, transaction, cancellationToken));
        var members = (await connection.QueryAsync<PostgresMemberRow>(Command("""
            SELECT m.conversation_id AS ConversationId, m.user_id AS UserId FROM conversation_members m
            WHERE m.conversation_id IN (SELECT conversation_id FROM conversation_members WHERE user_id = @userId)
            ORDER BY m.conversation_id, m.joined_at, m.user_id COLLATE "C"
            """, new { userId }, transaction, cancellationToken)))
            .GroupBy(m => m.ConversationId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(m => m.UserId).ToList());
        return rows.Select(r => r.ToConversation(members.GetValueOrDefault(r.Id, []))).ToList();
    }

    public async Task<Conversation?> UpdateTitleAsync(string conversationId, string? title, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        var now = _clock.Now();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(Command(
            "UPDATE conversations SET title = @title, updated_at = @now WHERE id = @conversationId",
            new { conversationId, title, now }, transaction, cancellationToken));
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
        await using var connection = await OpenAsync(cancellationToken);
        return await IsMemberAsync(connection, null, conversationId, userId, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListContactIdsAsync(string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(Command("""
            SELECT DISTINCT other.user_id COLLATE "C" FROM conversation_members mine
            JOIN conversations c ON c.id = mine.conversation_id AND c.kind IN ('dm', 'group')
            JOIN conversation_members other ON other.conversation_id = mine.conversation_id AND other.user_id <> mine.user_id
            WHERE mine.user_id = @userId
            ORDER BY 1
            """, new { userId }, null, cancellationToken));
        return ids.ToList();
    }

    private async Task<MembershipChange> ChangeMembershipAsync(string conversationId,
        Func<NpgsqlConnection, NpgsqlTransaction, DateTimeOffset, Task<bool>> change, CancellationToken cancellationToken)
    {
        var now = _clock.Now();
        await using var connection = await OpenAsync(cancellationToken);
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
    /// Locks the conversation's row until the transaction ends; returns its kind, or null when there is none. NO KEY
    /// UPDATE, the lock an UPDATE of non-key columns takes: it queues writers of this conversation behind each other
    /// but does not hold up foreign-key checks (a read cursor or a member row naming the conversation).
    /// </summary>
    private static Task<string?> LockConversationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string conversationId,
        CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<string?>(Command("SELECT kind FROM conversations WHERE id = @conversationId FOR NO KEY UPDATE",
            new { conversationId }, transaction, cancellationToken));

    private static async Task<bool> InsertMemberAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string conversationId, string userId,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(Command("""
            INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES (@conversationId, @userId, @now)
            ON CONFLICT DO NOTHING
            """, new { conversationId, userId, now }, transaction, cancellationToken)) > 0;

    private static Task TouchConversationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string conversationId, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Command("UPDATE conversations SET updated_at = @now WHERE id = @conversationId",
            new { conversationId, now }, transaction, cancellationToken));

    private static async Task<bool> IsMemberAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string conversationId, string userId,
        CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<bool>(Command(
            "SELECT EXISTS (SELECT 1 FROM conversation_members WHERE conversation_id = @conversationId AND user_id = @userId)",
            new { conversationId, userId }, transaction, cancellationToken));

    /// <summary>A read-only snapshot for the several queries of one read.</summary>
    private static ValueTask<NpgsqlTransaction> BeginReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

    private static async Task<Conversation?> LoadConversationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string conversationId,
        CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PostgresConversationRow>(Command(
            $"SELECT {PostgresColumns.Conversation} FROM conversations c WHERE c.id = @conversationId", new { conversationId }, transaction, cancellationToken));
        if (row is null) return null;
        var members = await connection.QueryAsync<string>(Command(
            "SELECT user_id FROM conversation_members WHERE conversation_id = @conversationId ORDER BY joined_at, user_id COLLATE \"C\"",
            new { conversationId }, transaction, cancellationToken));
        return row.ToConversation(members.ToList());
    }
}
