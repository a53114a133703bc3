using Microsoft.Extensions.Logging;

namespace SocketIoServer.Chat.Storage;

/// <summary>Makes the store the options ask for. The caller then runs <see cref="IChatStore.InitializeAsync"/>.</summary>
public static class ChatStoreFactory
{
    public static IChatStore Create(ChatStoreOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = loggerFactory.CreateLogger("SocketIoServer.Chat.Storage");
        return options.Backend switch
        {
            ChatStoreBackend.Postgres => new PostgresChatStore(DatabaseUrl.Parse(options.DatabaseUrl!), time, logger),
            _ => new SqliteChatStore(options.SqlitePath, options.SqliteBusyTimeout, time, logger),
        };
    }
}
