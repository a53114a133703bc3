using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SocketIoServer.Chat.Storage;

/// <summary>Healthy when the store answers a query (part of <c>GET /health</c>).</summary>
internal sealed class ChatStoreHealthCheck(IChatStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{store.Backend} answers");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{store.Backend} does not answer", ex);
        }
    }
}
