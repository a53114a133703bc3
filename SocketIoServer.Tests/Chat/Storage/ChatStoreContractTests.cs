using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

/// <summary>
/// What every <see cref="IChatStore"/> must do, run once per backend (<see cref="SqliteChatStoreTests"/>,
/// <see cref="PostgresChatStoreTests"/>). Each test gets an empty database of its own and a clock that moves only
/// when told to, so equal timestamps (the tie-break cases) are the rule, not luck.
/// </summary>
public abstract partial class ChatStoreContractTests
{
    /// <summary>The start time, with sub-millisecond digits the store must drop.</summary>
    protected static readonly DateTimeOffset Start = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(6_789_012);

    /// <summary><see cref="Start"/> as the store records it (whole milliseconds).</summary>
    protected static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).AddMilliseconds(678);

    private readonly List<TestDatabase> _databases = [];

    protected TestClock Clock { get; private set; } = null!;

    protected TestDatabase Database { get; private set; } = null!;

    protected IChatStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>A new, empty database of the backend under test.</summary>
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [SetUp]
    public async Task SetUpStoreAsync()
    {
        Clock = new TestClock(Start);
        Database = await NewDatabaseAsync();
        Store = await OpenAsync(Database);
    }

    [TearDown]
    public async Task TearDownStoreAsync()
    {
        if (Store is not null) await Store.DisposeAsync();
        foreach (var database in _databases) await database.DisposeAsync();
        _databases.Clear();
    }

    protected async Task<TestDatabase> NewDatabaseAsync()
    {
        var database = await CreateDatabaseAsync();
        _databases.Add(database);
        return database;
    }

    protected async Task<IChatStore> OpenAsync(TestDatabase database)
    {
        var store = database.NewStore(Clock);
        await store.InitializeAsync(Ct);
        return store;
    }

    /// <summary>Disposes the store and opens a new one on the same database, as a server restart does.</summary>
    protected async Task RestartAsync()
    {
        await Store.DisposeAsync();
        Store = await OpenAsync(Database);
    }

    protected async Task<Conversation> GroupAsync(string creator, params string[] members) =>
        await Store.CreateConversationAsync(new NewConversation(ConversationKind.Group, "a group", creator, members), Ct);

    protected async Task<ChatMessage> SendAsync(Conversation conversation, string sender, string body = "hello", string? clientId = null)
    {
        var result = await Store.InsertMessageAsync(new NewMessage(conversation.Id, sender, body, clientId), Ct);
        Assert.That(result.Status, Is.EqualTo(MessageInsertStatus.Inserted));
        return result.Message!;
    }

    protected async Task<IReadOnlyList<ChatMessage>> ListAsync(Conversation conversation, string reader, MessageQuery query)
    {
        var page = await Store.ListMessagesAsync(conversation.Id, reader, query, Ct);
        Assert.That(page.Status, Is.EqualTo(MessagePageStatus.Ok));
        return page.Messages;
    }

    protected static IEnumerable<string> Ids(IEnumerable<ChatMessage> messages) => messages.Select(m => m.Id);

    protected static bool IsObjectId(string id) => id.Length == 24 && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
