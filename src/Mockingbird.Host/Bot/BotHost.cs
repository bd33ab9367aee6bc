using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Discord;
using Mockingbird.Discord.Gateway;
using Mockingbird.Discord.Interactions;
using Mockingbird.Host.Cli;
using Mockingbird.Host.Judging;
using Mockingbird.Interview.Sessions;
using Mockingbird.Sessions.Redis;

namespace Mockingbird.Host.Bot;

/// <summary>
/// The bot process: the interview core with queued judging, sessions in Redis (in memory, with a warning, when no
/// Redis is configured), judging workers, the platform adapter and, when asked for, its HTTP endpoint.
/// </summary>
public static partial class BotHost
{
    /// <param name="settings">Settings over the environment's (tests point the bot at fake servers this way).</param>
    /// <param name="customize">A last say over the builder before it is built, e.g. a logging provider.</param>
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddEnvironmentVariables("MOCKINGBIRD_");
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var redis = HasRedis(builder.Configuration);
        builder.Services.AddInterviewCore(builder.Configuration, JudgingMode.Queued);
        if (redis)
        {
            builder.Services.AddRedisSessionStore();
        }

        builder.Services.AddJudgingWorkers();
        builder.Services.AddDiscordBot();

        customize?.Invoke(builder);
        var app = builder.Build();
        if (!redis)
        {
            Log.NoRedis(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotHost)));
        }

        app.MapGet("/healthz", () => "ok");
        if (app.Services.GetRequiredService<IOptions<DiscordOptions>>().Value.InteractionsEndpoint)
        {
            app.MapDiscordInteractions();
        }

        return app;
    }

    /// <summary>Runs the bot until stopped; a configuration or start-up problem is one line on stderr and exit code 1.</summary>
    public static async Task<int> RunAsync(TextWriter error, IEnumerable<KeyValuePair<string, string?>>? settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            await using var app = Build(settings);
            await app.StartAsync(cancellationToken);
            var gateway = app.Services.GetRequiredService<DiscordGateway>().Stopped;
            var shutdown = app.WaitForShutdownAsync(cancellationToken);
            if (await Task.WhenAny(gateway, shutdown) == gateway && gateway.Result.IsFatal)
            {
                // Reconnecting would not help (a revoked token, a refused intent): say why and stop.
                await error.WriteLineAsync(gateway.Result.Description);
                await app.StopAsync(CancellationToken.None);
                return 1;
            }

            await shutdown;
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await error.WriteLineAsync(failure);
            }

            return 1;
        }
        catch (InvalidOperationException ex) when (ex.InnerException is Discord.Rest.DiscordApiException)
        {
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    private static bool HasRedis(ConfigurationManager configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Configuration"]) || !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis"));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No Redis configured (Redis:Configuration): sessions live in this process only and are lost when it stops")]
        public static partial void NoRedis(ILogger logger);
    }
}
