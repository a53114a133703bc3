using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Cluster.Redis;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Hosting;
using SocketIoServer.Chat.Vocabularies.WhatsApp;

namespace SocketIoServer.Chat.Cluster;

/// <summary>
/// The chat state that nodes of a cluster must share (presence, typing, rate limits, WhatsApp's locks, statuses and
/// view times), chosen once at start-up: in memory without Redis, in Redis when it is configured. Nothing else in
/// the chat layer knows which one runs.
/// </summary>
public static class ChatStateServiceCollectionExtensions
{
    /// <summary>Seed 002's presence throttle, kept on one node and across a cluster.</summary>
    public static readonly TimeSpan PresenceThrottle = TimeSpan.FromSeconds(2);

    public static IServiceCollection AddChatState(this IServiceCollection services, ChatSettings settings)
    {
        if (settings.Redis is { } redis) return services.AddRedisChatState(settings, redis);
        services.AddSingleton<IPresence>(sp => new LocalPresence(new PresenceTracker(PresenceThrottle, sp.GetService<TimeProvider>())));
        services.AddSingleton<ITypingStore>(sp => new LocalTypingStore(TypingTtl, sp.GetService<TimeProvider>()));
        services.AddSingleton<IRateLimiterFactory>(sp => new LocalRateLimiterFactory(sp.GetService<TimeProvider>()));
        services.AddSingleton<IMessageLocks>(sp => new MessageLocks(settings.LockTimeout, sp.GetService<TimeProvider>()));
        services.AddSingleton<IUserStatuses>(sp => new UserStatuses(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IConversationViews, LocalConversationViews>();
        services.AddSingleton<IClusterLink, SingleNodeLink>();
        return services;
    }

    /// <summary>Seed 001's typing TTL (its Redis key lives 5 s).</summary>
    public static readonly TimeSpan TypingTtl = TimeSpan.FromSeconds(5);

    private static IServiceCollection AddRedisChatState(this IServiceCollection services, ChatSettings settings, ChatSettings.RedisSettings redis)
    {
        services.AddSingleton(sp => ChatRedis.Connect(redis, settings.RedisKeyPrefix, sp.GetRequiredService<ILogger<ChatRedis>>()));
        services.AddSingleton(sp => new RedisPresence(sp.GetRequiredService<ChatRedis>(),
            new RedisPresence.Options(PresenceThrottle, settings.RedisNodeTtl), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<RedisPresence>>()));
        services.AddSingleton<IPresence>(sp => sp.GetRequiredService<RedisPresence>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisPresence>());
        services.AddSingleton<ITypingStore>(sp => new RedisTypingStore(sp.GetRequiredService<ChatRedis>(), TypingTtl));
        services.AddSingleton<IRateLimiterFactory>(sp => new RedisRateLimiterFactory(sp.GetRequiredService<ChatRedis>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IMessageLocks>(sp => new RedisMessageLocks(sp.GetRequiredService<ChatRedis>(), settings.LockTimeout));
        services.AddSingleton<IUserStatuses>(sp => new RedisUserStatuses(sp.GetRequiredService<ChatRedis>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IConversationViews>(sp => new RedisConversationViews(sp.GetRequiredService<ChatRedis>()));
        services.AddSingleton<IClusterLink>(sp => new RedisClusterLink(sp.GetRequiredService<ChatRedis>(), sp.GetService<ChatClusterAdapter>()?.Connection));
        services.AddHealthChecks().AddCheck<ChatRedisHealthCheck>("chat-redis");
        return services;
    }
}
