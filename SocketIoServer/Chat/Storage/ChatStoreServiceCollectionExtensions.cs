using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SocketIoServer.Chat.Storage;

public static class ChatStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the chat store (<see cref="IChatStore"/>, one singleton): PostgreSQL when <c>DATABASE_URL</c> is
    /// set, else SQLite at <c>SQLITE_PATH</c> (default <c>data/chat.db</c>). The settings are validated and the
    /// schema created or migrated when the host starts; the store is disposed with the service provider. Also
    /// adds the <c>chat-store</c> health check.
    /// </summary>
    public static IServiceCollection AddChatStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ChatStoreOptions>()
            .Configure(options => Bind(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatStoreOptions>, ChatStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => ChatStoreFactory.Create(
            sp.GetRequiredService<IOptions<ChatStoreOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<ChatStoreInitializer>();
        services.AddHealthChecks().AddCheck<ChatStoreHealthCheck>("chat-store");
        return services;
    }

    /// <summary>The <c>ChatStore</c> section, then the flat names, which win (CONTRACTS section 1).</summary>
    internal static void Bind(IConfiguration configuration, ChatStoreOptions options)
    {
        configuration.GetSection(ChatStoreOptions.SectionName).Bind(options);
        if (configuration["DATABASE_URL"] is { Length: > 0 } databaseUrl) options.DatabaseUrl = databaseUrl;
        if (configuration["SQLITE_PATH"] is { Length: > 0 } sqlitePath) options.SqlitePath = sqlitePath;
    }
}
