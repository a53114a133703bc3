using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>Healthy when the cluster's Redis answers a PING (part of <c>GET /health</c> on a cluster node).</summary>
internal sealed class ChatRedisHealthCheck(ChatRedis redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.Database.PingAsync();
            return HealthCheckResult.Healthy($"Redis answers ({latency.TotalMilliseconds:0.#} ms)");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer", ex);
        }
    }
}
