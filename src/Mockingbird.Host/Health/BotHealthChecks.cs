using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mockingbird.Platforms;
using StackExchange.Redis;

namespace Mockingbird.Host.Health;

/// <summary>
/// <c>/healthz/live</c>: the process answers (<c>/healthz</c> is the same, for what already probes it).
/// <c>/healthz/ready</c>: Redis answers a PING (when sessions live there) and the platform connection is up. Both
/// answer JSON with each check's status; an unhealthy one makes the answer 503.
/// </summary>
public static class BotHealthChecks
{
    private const string Ready = "ready";

    public static IServiceCollection AddBotHealthChecks(this IServiceCollection services, bool redis)
    {
        var checks = services.AddHealthChecks();
        if (redis)
        {
            checks.AddCheck<RedisHealthCheck>("redis", HealthStatus.Unhealthy, [Ready], timeout: TimeSpan.FromSeconds(5));
        }

        checks.AddCheck<PlatformConnectionHealthCheck>("platform", HealthStatus.Unhealthy, [Ready]);
        return services;
    }

    public static WebApplication MapBotHealthChecks(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var live = new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync };
        app.MapHealthChecks("/healthz/live", live);
        app.MapHealthChecks("/healthz", live);
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteJsonAsync });
        return app;
    }

    private static async Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            if (entry.Data.Count > 0)
            {
                json.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    if (value is bool flag)
                    {
                        json.WriteBoolean(key, flag);
                    }
                    else
                    {
                        json.WriteString(key, value?.ToString());
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}

/// <summary>A PING through the store's own multiplexer: the same connection sessions and jobs go over.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Redis is not connected; the client keeps reconnecting.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            // The type only: a client message can quote the configuration string, password included.
            return HealthCheckResult.Unhealthy($"Redis did not answer PING ({ex.GetType().Name}).");
        }
    }
}

/// <summary>Ready when every connection events arrive over is up.</summary>
internal sealed class PlatformConnectionHealthCheck(IEnumerable<IPlatformConnection> connections) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var states = connections.ToDictionary(c => c.Name, c => (object)c.IsConnected, StringComparer.Ordinal);
        var down = states.Where(s => !(bool)s.Value).Select(s => s.Key).ToList();
        return Task.FromResult(down.Count == 0
            ? HealthCheckResult.Healthy($"Connected: {string.Join(", ", states.Keys)}.", states)
            : HealthCheckResult.Unhealthy($"Not connected: {string.Join(", ", down)}.", data: states));
    }
}

/// <summary>Events come as HTTP requests to this process: it is connected whenever it can answer one.</summary>
internal sealed class HttpEndpointConnection(string name) : IPlatformConnection
{
    public string Name => name;

    public bool IsConnected => true;
}
