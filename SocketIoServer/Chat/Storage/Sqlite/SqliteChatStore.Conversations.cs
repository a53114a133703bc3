using Dapper;

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
        var kind = await LockConversationAsync(connection, transaction, conversationId, cancellationToken);
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
}
