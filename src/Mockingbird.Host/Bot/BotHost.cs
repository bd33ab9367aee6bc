using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Charts;
using Mockingbird.Discord;
using Mockingbird.Drills;
using Mockingbird.Discord.Gateway;
using Mockingbird.Discord.Interactions;
using Mockingbird.Disputes;
using Mockingbird.Host.Cli;
using Mockingbird.Host.Experiments;
using Mockingbird.Host.Health;
using Mockingbird.Host.Judging;
using Mockingbird.Host.Telemetry;
using Mockingbird.Host.Web;
using Mockingbird.Interview.Sessions;
using Mockingbird.Interview.Telemetry;
using Mockingbird.Judging.Llm;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Platforms;
using Mockingbird.Sessions.Redis;
using Mockingbird.Slack;
using Mockingbird.Slack.Events;
using Mockingbird.Slack.SocketMode;
using Mockingbird.StudyGroups;
using StackExchange.Redis;

namespace Mockingbird.Host.Bot;

/// <summary>The chat platform a bot process serves.</summary>
public enum BotPlatform
{
    Discord,
    Slack,
}

/// <summary>
/// The bot process: the interview core with queued judging, sessions in Redis (in memory, with a warning, when no
/// Redis is configured), judging workers, one platform's adapter and, when asked for, its HTTP endpoint.
/// </summary>
public static partial class BotHost
{
    /// <param name="settings">Settings over the environment's (tests point the bot at fake servers this way).</param>
    /// <param name="customize">A last say over the builder before it is built, e.g. a logging provider.</param>
    /// <remarks>
    /// What start-up waits on (the prompts' checks, the Redis connection) is awaited here, before the container is built,
    /// so no service factory blocks a thread on it.
    /// </remarks>
    public static async Task<WebApplication> BuildAsync(
        BotPlatform platform,
        IEnumerable<KeyValuePair<string, string?>>? settings = null,
        Action<WebApplicationBuilder>? customize = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();

        // A failed start-up is told in one line by RunAsync, or rethrown with its trace when it is not one RunAsync
        // knows; the host's own error log of it would print the stack trace of every rejected token.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Configuration.AddEnvironmentVariables("MOCKINGBIRD_");
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var prompts = await LlmJudgeServiceCollectionExtensions.LoadPromptsAsync(builder.Configuration, cancellationToken);
        var redis = HasRedis(builder.Configuration) ? await RedisConnection.ConnectAsync(builder.Configuration) : null;
        try
        {
            return Compose(builder, platform, prompts, redis, customize);
        }
        catch
        {
            // Nothing else owns the connection until the built app has resolved it.
            if (redis is not null)
            {
                await redis.DisposeAsync();
            }

            throw;
        }
    }

    private static WebApplication Compose(
        WebApplicationBuilder builder,
        BotPlatform platform,
        PromptExperiments? prompts,
        IConnectionMultiplexer? redis,
        Action<WebApplicationBuilder>? customize)
    {
        builder.Services.AddInterviewCore(builder.Configuration, JudgingMode.Queued, prompts);
        builder.Services.AddBotTelemetry(builder.Configuration);
        builder.Services.AddBotHealthChecks(redis is not null);
        if (redis is not null)
        {
            builder.Services.AddRedisSessionStore(redis);
            builder.Services.AddRedisExperimentStore();
            builder.Services.AddRedisDisputeStore();
            builder.Services.AddSingleton<IJudgingQueueReadings, RedisJudgingQueueTelemetry>();
            builder.Services.AddSingleton<JudgingQueueTelemetry>();
            builder.Services.AddHostedService<JudgingQueueGauges>();
        }

        // Before the judging workers: hosted services start in order, and the experiments' refresher reads the stopped
        // arms and opt-outs as it starts, so a backlog judged at start-up already honours them.
        builder.Services.AddExperiments(builder.Configuration);
        builder.Services.AddDisputes();
        builder.Services.AddJudgingWorkers();
        builder.Services.AddStudyGroups();
        builder.Services.AddDrills();
        builder.Services.AddProgressCharts();
        if (redis is not null)
        {
            builder.Services.AddRedisStudyGroupStore().AddRedisDrillStore();
        }
        else
        {
            builder.Services.AddInMemoryStudyGroupStore();
        }

        if (platform == BotPlatform.Discord)
        {
            builder.Services.AddDiscordBot();
            builder.Services.AddSingleton<IPlatformConnection>(sp => sp.GetRequiredService<DiscordGateway>());
        }
        else
        {
            builder.Services.AddSlackBot();
            builder.Services.AddSingleton<IPlatformConnection>(sp => sp.GetRequiredService<IOptions<SlackOptions>>().Value.Transport == SlackTransport.Http
                ? new HttpEndpointConnection("slack-events-endpoint")
                : sp.GetRequiredService<SlackSocketMode>());
        }

        builder.Services.AddWebPages(builder.Configuration);
        customize?.Invoke(builder);
        var app = builder.Build();

        // Resolved now, so the container owns the connection and disposes it with the app even if the app never starts.
        _ = app.Services.GetService<IConnectionMultiplexer>();
        if (redis is null)
        {
            Log.NoRedis(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotHost)));
        }

        app.MapBotHealthChecks();
        app.MapWebPages();
        if (platform == BotPlatform.Discord && app.Services.GetRequiredService<IOptions<DiscordOptions>>().Value.InteractionsEndpoint)
        {
            app.MapDiscordInteractions();
        }

        if (platform == BotPlatform.Slack && app.Services.GetRequiredService<IOptions<SlackOptions>>().Value.Transport == SlackTransport.Http)
        {
            app.MapSlackEndpoint();
        }

        return app;
    }

    /// <summary>Runs the bot until stopped; a configuration or start-up problem is one line on stderr and exit code 1.</summary>
    public static async Task<int> RunAsync(BotPlatform platform, TextWriter error, IEnumerable<KeyValuePair<string, string?>>? settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            await using var app = await BuildAsync(platform, settings, customize: null, cancellationToken);
            await app.StartAsync(cancellationToken);
            var connection = FatalStopAsync(platform, app.Services);
            var shutdown = app.WaitForShutdownAsync(cancellationToken);
            if (await Task.WhenAny(connection, shutdown) == connection && await connection is { } fatal)
            {
                // Reconnecting would not help (a revoked token, a refused intent): say why and stop.
                await error.WriteLineAsync(fatal);
                await app.StopAsync(CancellationToken.None);
                return 1;
            }

            await shutdown;

            // A baseline refused once Redis answered stops the bot after it started; it fails as it would have at start.
            if (app.Services.GetServices<IHostedService>().OfType<BaselineAgreementCheck>().FirstOrDefault()?.RefusedAfterStart is { IsCompletedSuccessfully: true } refused)
            {
                await error.WriteLineAsync($"The bot stopped: {await refused}");
                return 1;
            }

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
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or StackExchange.Redis.RedisException
            or Discord.Rest.DiscordApiException or Slack.Web.SlackApiException or Polly.Timeout.TimeoutRejectedException)
        {
            // Start-up failures (a rejected token, a platform or Redis out of reach) are one line. These exceptions'
            // messages name settings, routes and endpoints, never a token or password; anything else keeps its trace.
            await error.WriteLineAsync($"Could not start the bot: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Completes with why the platform connection gave up for good, or null when it stopped for shutdown.</summary>
    private static async Task<string?> FatalStopAsync(BotPlatform platform, IServiceProvider services)
    {
        if (platform == BotPlatform.Discord)
        {
            var stopped = await services.GetRequiredService<DiscordGateway>().Stopped;
            return stopped.IsFatal ? stopped.Description : null;
        }

        var socket = await services.GetRequiredService<SlackSocketMode>().Stopped;
        return socket.IsFatal ? socket.Description : null;
    }

    private static bool HasRedis(ConfigurationManager configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Configuration"]) || !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis"));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No Redis configured (Redis:Configuration): sessions live in this process only and are lost when it stops")]
        public static partial void NoRedis(ILogger logger);
    }
}
