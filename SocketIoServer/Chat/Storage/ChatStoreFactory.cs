using Microsoft.Extensions.Logging;

namespace SocketIoServer.Chat.Storage;

/// <summary>Makes the store the options ask for. The caller then runs <see cref="IChatStore.InitializeAsync"/>.</summary>
public static class ChatStoreFactory
{
    public static IChatStore Create(ChatStoreOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = loggerFactory.CreateLogger("SocketIoServer.Chat.Storage");
        if (options.Backend == ChatStoreBackend.Postgres) return new PostgresChatStore(DatabaseUrl.Parse(options.DatabaseUrl!), time, logger);
        try
        {
            return new SqliteChatStore(options.SqlitePath, options.SqliteBusyTimeout, time, logger);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // e.g. a directory that cannot be created: name the setting, as for any other bad value
            throw new InvalidOperationException($"SQLITE_PATH '{options.SqlitePath}' cannot be used: {ex.Message}", ex);
        }
    }
}
