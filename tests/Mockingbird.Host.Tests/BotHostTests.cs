using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mockingbird.Host.Bot;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace Mockingbird.Host.Tests;

// The bot reads MOCKINGBIRD_ environment variables, which CLI tests set for a call: an LLM or prompts setting set
// there must not leak into a bot built here at the same time.
[Collection(nameof(CliTests))]
public sealed class BotHostTests
{
    [Fact]
    public async Task A_bot_without_a_token_or_application_id_fails_at_start_naming_both_settings()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var app = await BotHost.BuildAsync(BotPlatform.Discord, [new("Urls", "http://127.0.0.1:0")]);
            await app.StartAsync();
        });

        var failures = Assert.IsType<OptionsValidationException>(ex).Failures.ToList();
        Assert.Contains(failures, f => f.Contains("Discord:BotToken is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Discord:ApplicationId is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "Slack:BotToken is required")]
    [InlineData("xoxb-1", "Slack:AppToken")]
    public async Task A_slack_bot_without_its_tokens_fails_at_start_naming_the_missing_setting(string? botToken, string expected)
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var app = await BotHost.BuildAsync(BotPlatform.Slack, [new("Urls", "http://127.0.0.1:0"), new("Slack:BotToken", botToken)]);
            await app.StartAsync();
        });

        Assert.Contains(Assert.IsType<OptionsValidationException>(ex).Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_http_endpoint_without_a_public_key_fails_at_start_naming_the_setting()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            KeyValuePair<string, string?>[] settings =
            [
                new("Urls", "http://127.0.0.1:0"),
                new("Discord:BotToken", "token"),
                new("Discord:ApplicationId", "123"),
                new("Discord:InteractionsEndpoint", "true"),
            ];
            await using var app = await BotHost.BuildAsync(BotPlatform.Discord, settings);
            await app.StartAsync();
        });

        Assert.Contains(Assert.IsType<OptionsValidationException>(ex).Failures, f => f.Contains("Discord:PublicKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redis_setting_the_client_cannot_read_stops_the_bot_with_one_line_naming_it()
    {
        using var error = new StringWriter();
        KeyValuePair<string, string?>[] settings =
        [
            new("Urls", "http://127.0.0.1:0"),
            new("Discord:BotToken", "token"),
            new("Discord:ApplicationId", "123"),
            new("Redis:Configuration", "127.0.0.1:1,password=kept-secret,colour=blue"),
        ];

        var exit = await BotHost.RunAsync(BotPlatform.Discord, error, settings, CancellationToken.None);

        Assert.Equal(1, exit);
        var line = Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.Contains("Redis:Configuration could not be read", line, StringComparison.Ordinal);
        Assert.DoesNotContain("kept-secret", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bot_whose_redis_is_down_stops_with_one_line_that_keeps_the_password_out()
    {
        await using var server = await RedisServer.StartAsync();
        await server.StopAsync();
        using var error = new StringWriter();

        var exit = await BotHost.RunAsync(
            BotPlatform.Discord,
            error,
            [.. Discord, new("Redis:Configuration", $"{server.Endpoint},password=never-printed,connectTimeout=300,asyncTimeout=300")],
            CancellationToken.None);

        Assert.Equal(1, exit);
        var line = Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith("Could not start the bot: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("never-printed", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bot_with_a_broken_prompt_stops_naming_the_file_and_what_is_wrong_with_it()
    {
        var prompts = Directory.CreateTempSubdirectory("prompts-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(prompts, "judge-theory"));
            await File.WriteAllTextAsync(Path.Combine(prompts, "judge-theory", "v1.yaml"), "name: judge-theory\ntemplate: '<message role=\"user\">{{$answer}}</message>'\n");
            using var error = new StringWriter();

            var exit = await BotHost.RunAsync(
                BotPlatform.Discord,
                error,
                [.. Discord, new("Llm:Provider", "OpenAICompatible"), new("Llm:Endpoint", "http://127.0.0.1:9/v1"), new("Llm:Model", "any"), new("Prompts:Directory", prompts)],
                CancellationToken.None);

            Assert.Equal(1, exit);
            Assert.Equal(
                ["Could not start the bot: The prompts are invalid:", "judge-theory/v1.yaml: the template uses {{$answer}} but input_variables does not declare it"],
                error.ToString().TrimEnd().Split(Environment.NewLine));
        }
        finally
        {
            Directory.Delete(prompts, recursive: true);
        }
    }

    [Fact]
    public async Task A_bot_with_redis_keeps_study_groups_there_and_one_without_keeps_them_in_memory()
    {
        await using var server = await RedisServer.StartAsync();
        await using var withRedis = await BotHost.BuildAsync(BotPlatform.Discord, [.. Discord, new("Redis:Configuration", server.Endpoint)]);
        await using var alone = await BotHost.BuildAsync(BotPlatform.Discord, Discord);

        Assert.IsType<Mockingbird.Sessions.Redis.RedisStudyGroupStore>(withRedis.Services.GetRequiredService<Mockingbird.StudyGroups.IStudyGroupStore>());
        Assert.IsType<Mockingbird.StudyGroups.InMemoryStudyGroupStore>(alone.Services.GetRequiredService<Mockingbird.StudyGroups.IStudyGroupStore>());
        Assert.Contains(withRedis.Services.GetServices<IJudgingJobHandler>(), handler => handler.Kind == JudgeJobKind.DailyAnswer);
    }

    [Fact]
    public async Task A_bot_with_redis_keeps_drills_there_and_one_without_keeps_them_in_memory_and_forget_me_reaches_them()
    {
        await using var server = await RedisServer.StartAsync();
        await using var withRedis = await BotHost.BuildAsync(BotPlatform.Discord, [.. Discord, new("Redis:Configuration", server.Endpoint)]);
        await using var alone = await BotHost.BuildAsync(BotPlatform.Discord, Discord);

        Assert.IsType<Mockingbird.Sessions.Redis.RedisDrillStore>(withRedis.Services.GetRequiredService<Mockingbird.Drills.IDrillStore>());
        Assert.IsType<Mockingbird.Drills.InMemoryDrillStore>(alone.Services.GetRequiredService<Mockingbird.Drills.IDrillStore>());
        Assert.IsType<Mockingbird.Drills.DrillCommands>(alone.Services.GetRequiredService<Mockingbird.Chat.IDrillCommands>());
        Assert.Contains(alone.Services.GetServices<Mockingbird.Chat.IPersonalDataKeeper>(), keeper => keeper is Mockingbird.Drills.DrillMemory);
        Assert.NotNull(alone.Services.GetRequiredService<Mockingbird.Drills.DrillScheduler>());
    }

    [Fact]
    public async Task A_bot_with_redis_keeps_disputes_there_and_forget_me_reaches_them()
    {
        await using var server = await RedisServer.StartAsync();
        await using var withRedis = await BotHost.BuildAsync(BotPlatform.Discord, [.. Discord, new("Redis:Configuration", server.Endpoint)]);
        await using var alone = await BotHost.BuildAsync(BotPlatform.Discord, Discord);

        Assert.IsType<Mockingbird.Sessions.Redis.RedisDisputeStore>(withRedis.Services.GetRequiredService<Mockingbird.Disputes.IDisputeStore>());
        Assert.IsType<Mockingbird.Disputes.InMemoryDisputeStore>(alone.Services.GetRequiredService<Mockingbird.Disputes.IDisputeStore>());
        Assert.Contains(withRedis.Services.GetServices<Mockingbird.Chat.IPersonalDataKeeper>(), keeper => keeper is Mockingbird.Disputes.DisputeMemory);
        Assert.NotNull(withRedis.Services.GetRequiredService<Mockingbird.Disputes.DisputeDesk>());
    }

    [Fact]
    public async Task A_bot_with_redis_keeps_dispute_voters_there_so_every_replica_counts_an_opt_in_and_chat_reaches_the_dispute_commands()
    {
        await using var server = await RedisServer.StartAsync();
        await using var withRedis = await BotHost.BuildAsync(BotPlatform.Discord, [.. Discord, new("Redis:Configuration", server.Endpoint)]);
        await using var alone = await BotHost.BuildAsync(BotPlatform.Discord, Discord);

        Assert.IsType<Mockingbird.Sessions.Redis.RedisDisputeVoters>(withRedis.Services.GetRequiredService<Mockingbird.Disputes.IDisputeVoters>());
        Assert.IsType<Mockingbird.Disputes.InMemoryDisputeVoters>(alone.Services.GetRequiredService<Mockingbird.Disputes.IDisputeVoters>());
        Assert.IsType<Mockingbird.Disputes.DisputeCommands>(alone.Services.GetRequiredService<Mockingbird.Chat.IDisputeCommands>());
    }

    [Fact]
    public async Task The_redis_connection_opened_for_a_bot_closes_when_the_bot_is_disposed()
    {
        await using var server = await RedisServer.StartAsync();
        var app = await BotHost.BuildAsync(BotPlatform.Discord, [.. Discord, new("Redis:Configuration", server.Endpoint)]);
        var redis = app.Services.GetRequiredService<IConnectionMultiplexer>();
        Assert.True(redis.IsConnected);

        await app.DisposeAsync();

        Assert.False(redis.IsConnected);
    }

    [Fact]
    public async Task An_otlp_endpoint_that_is_not_a_url_fails_at_start_naming_the_setting()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var app = await BotHost.BuildAsync(BotPlatform.Discord, [.. Discord, new("Telemetry:OtlpEndpoint", "collector:4317")]);
            await app.StartAsync();
        });

        Assert.Contains(Assert.IsType<OptionsValidationException>(ex).Failures, f => f.Contains("Telemetry:OtlpEndpoint must be an absolute http(s) URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rest_setting_out_of_range_fails_at_start_before_any_call_is_made()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var app = await BotHost.BuildAsync(BotPlatform.Discord, [.. Discord, new("Discord:Rest:MaxRetries", "99")]);
            await app.StartAsync();
        });

        Assert.Contains(Assert.IsType<OptionsValidationException>(ex).Failures, f => f.Contains("MaxRetries", StringComparison.Ordinal) && f.Contains("between 0 and 10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_nothing_exports_and_with_one_metrics_and_traces_do()
    {
        await using var quiet = await BotHost.BuildAsync(BotPlatform.Discord, Discord);
        await using var exporting = await BotHost.BuildAsync(BotPlatform.Discord, [.. Discord, new("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")]);

        Assert.Null(quiet.Services.GetService<MeterProvider>());
        Assert.Null(quiet.Services.GetService<TracerProvider>());
        Assert.NotNull(exporting.Services.GetService<MeterProvider>());
        Assert.NotNull(exporting.Services.GetService<TracerProvider>());
    }

    private static readonly KeyValuePair<string, string?>[] Discord =
    [
        new("Urls", "http://127.0.0.1:0"),
        new("Discord:BotToken", "token"),
        new("Discord:ApplicationId", "123"),
    ];
}
