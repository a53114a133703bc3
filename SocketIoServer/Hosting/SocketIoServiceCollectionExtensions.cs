using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketIoServer.Server;

namespace SocketIoServer.Hosting;

public static class SocketIoServiceCollectionExtensions
{
    /// <summary>Registers the Socket.IO server (one <see cref="IoServer"/> singleton) and its lifetime.</summary>
    public static IServiceCollection AddSocketIo(this IServiceCollection services, Action<SocketIoOptions>? configure = null)
    {
        var builder = services.AddOptions<SocketIoOptions>();
        if (configure is not null) builder.Configure(configure);
        builder.Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Connections.EngineEndpoints>();
        services.TryAddSingleton(sp => new IoServer(
            sp.GetRequiredService<IOptions<SocketIoOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<SocketIoLifetime>();
        return services;
    }
}
