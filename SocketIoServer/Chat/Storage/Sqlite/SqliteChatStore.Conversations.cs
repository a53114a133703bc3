using Dapper;
using Microsoft.Data.Sqlite;

namespace SocketIoServer.Chat.Storage;

internal sealed partial class SqliteChatStore
{
    public async Task<Conversation> CreateConversationAsync(NewConversation conversation, CancellationToken cancellationToken)
    {
        StoreArguments.NewConversation(conversation);
        var members = StoreArguments.Members(conversation);
        var id = _ids.Next();
        var now = SqliteTime.To(_clock.Now());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await connection.ExecuteAsync(Command("""
            INSERT INTO conversations (id, kind, title, created_by, created_at, updated_at)
            VALUES (@id, @kind, @title, @createdBy, @now, @now)
            """, new { id, kind = conversation.Kind.ToStorage(), title = conversation.Title, createdBy = conversation.CreatedBy, now },
            transaction, cancellationToken));
        await connection.ExecuteAsync(Command(
            "INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES (@id, @userId, @now)",
            members.Select(userId => new { id, userId, now }), transaction, cancellationToken));
        var created = await LoadConversationAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created!;
    }

    public async Task<OpenConversationJoin> JoinOpenConversationAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        StoreArguments.Id(userId, nameof(userId));
        var now = SqliteTime.To(_clock.Now());
        await using var connection = await OpenAsync(cancellationToken);
        // the write lock taken up front makes "create if absent" atomic: a concurrent first join waits, then joins
        await using var transaction = connection.BeginTransaction();
        var kind = await connection.ExecuteScalarAsync<string?>(Command(
            "SELECT kind FROM conversations WHERE id = @conversationId", new { conversationId }, transaction, cancellationToken));
        OpenConversationJoinStatus status;
        if (kind is null)
        {
            await connection.ExecuteAsync(Command("""
                INSERT INTO conversations (id, kind, title, created_by, created_at, updated_at)
                VALUES (@conversationId, 'open', NULL, @userId, @now, @now)
                """, new { conversationId, userId, now }, transaction, cancellationToken));
            status = OpenConversationJoinStatus.Created;
        }
        else if (kind != ConversationKind.Open.ToStorage())
        {
            return OpenConversationJoin.NotOpen;
        }
        else
        {
            status = OpenConversationJoinStatus.Joined;
        }
        var added = await InsertMemberAsync(connection, transaction, conversationId, userId, now, cancellationToken);
        if (!added) status = OpenConversationJoinStatus.AlreadyMember;
        else if (status == OpenConversationJoinStatus.Joined) await TouchConversationAsync(connection, transaction, conversationId, now, cancellationToken);
        var conversation = await LoadConversationAsync(connection, transaction, conversationId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new OpenConversationJoin(status, conversation);
    }

    public async Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = BeginRead(connection);
        return await LoadConversationAsync(connection, transaction, conversationId, cancellationToken);
    }

    public async Task<IReadOnlyList<Conversation>> ListConversationsAsync(string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = BeginRead(connection);
        var rows = await connection.QueryAsync<SqliteConversationRow>(Command($"""
            SELECT {SqliteColumns.Conversation} FROM conversations c
            JOIN conversation_members mine ON mine.conversation_id = c.id AND mine.user_id = @userId
            ORDER BY COALESCE(c.last_message_at, c.updated_at) DESC, c.id
            """, new { userId }, transaction, cancellationToken));
        var members = (await connection.QueryAsync<SqliteMemberRow>(Command("""
            SELECT m.conversation_id AS ConversationId, m.user_id AS UserId FROM conversation_members m
            WHERE m.conversation_id IN (SELECT conversation_id FROM conversation_members WHERE user_id = @userId)
            ORDER BY m.conversation_id, m.joined_at, m.user_id
            """, new { userId }, transaction, cancellationToken)))
            .GroupBy(m => m.ConversationId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(m => m.UserId).ToList());
        return rows.Select(r => r.ToConversation(members.GetValueOrDefault(r.Id, []))).ToList();
    }

    public async Task<Conversation?> UpdateTitleAsync(string conversationId, string? title, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        var now = SqliteTime.To(_clock.Now());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
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
            SELECT DISTINCT other.user_id FROM conversation_members mine
            JOIN conversations c ON c.id = mine.conversation_id AND c.kind IN ('dm', 'group')
            JOIN conversation_members other ON other.conversation_id = mine.conversation_id AND other.user_id <> mine.user_id
            WHERE mine.user_id = @userId
            ORDER BY other.user_id
            """, new { userId }, null, cancellationToken));
        return ids.ToList();
    }

    private async Task<MembershipChange> ChangeMembershipAsync(string conversationId, Func<SqliteConnection, SqliteTransaction, long, Task<bool>> change,
        CancellationToken cancellationToken)
    {
        var now = SqliteTime.To(_clock.Now());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var exists = await connection.ExecuteScalarAsync<long>(Command("SELECT COUNT(*) FROM conversations WHERE id = @conversationId",
            new { conversationId }, transaction, cancellationToken)) > 0;
        if (!exists) return MembershipChange.NotFound;
        var changed = await change(connection, transaction, now);
        if (changed) await TouchConversationAsync(connection, transaction, conversationId, now, cancellationToken);
        var conversation = await LoadConversationAsync(connection, transaction, conversationId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new MembershipChange(changed ? MembershipChangeStatus.Changed : MembershipChangeStatus.Unchanged, conversation);
    }

    private static async Task<bool> InsertMemberAsync(SqliteConnection connection, SqliteTransaction transaction, string conversationId, string userId,
        long now, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(Command("""
            INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES (@conversationId, @userId, @now)
            ON CONFLICT DO NOTHING
            """, new { conversationId, userId, now }, transaction, cancellationToken)) > 0;

    private static Task TouchConversationAsync(SqliteConnection connection, SqliteTransaction transaction, string conversationId, long now,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Command("UPDATE conversations SET updated_at = @now WHERE id = @conversationId",
            new { conversationId, now }, transaction, cancellationToken));

    private static async Task<bool> IsMemberAsync(SqliteConnection connection, SqliteTransaction? transaction, string conversationId, string userId,
        CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(Command(
            "SELECT COUNT(*) FROM conversation_members WHERE conversation_id = @conversationId AND user_id = @userId",
            new { conversationId, userId }, transaction, cancellationToken)) > 0;

    private static async Task<Conversation?> LoadConversationAsync(SqliteConnection connection, SqliteTransaction transaction, string conversationId,
        CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<SqliteConversationRow>(Command(
            $"SELECT {SqliteColumns.Conversation} FROM conversations c WHERE c.id = @conversationId", new { conversationId }, transaction, cancellationToken));
        if (row is null) return null;
        var members = await connection.QueryAsync<string>(Command(
            "SELECT user_id FROM conversation_members WHERE conversation_id = @conversationId ORDER BY joined_at, user_id",
            new { conversationId }, transaction, cancellationToken));
        return row.ToConversation(members.ToList());
    }
}
