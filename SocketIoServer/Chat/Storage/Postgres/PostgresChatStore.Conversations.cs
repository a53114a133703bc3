using Dapper;

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
}
