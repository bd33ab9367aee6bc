using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mockingbird.Host.Bot;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Mockingbird.Host.Tests;

public sealed class BotHostTests
{
    [Fact]
    public async Task A_bot_without_a_token_or_application_id_fails_at_start_naming_both_settings()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var app = BotHost.Build(BotPlatform.Discord, [new("Urls", "http://127.0.0.1:0")]);
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
            await using var app = BotHost.Build(BotPlatform.Slack, [new("Urls", "http://127.0.0.1:0"), new("Slack:BotToken", botToken)]);
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
            await using var app = BotHost.Build(BotPlatform.Discord, settings);
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
    public async Task An_otlp_endpoint_that_is_not_a_url_fails_at_start_naming_the_setting()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var app = BotHost.Build(BotPlatform.Discord, [.. Discord, new("Telemetry:OtlpEndpoint", "collector:4317")]);
            await app.StartAsync();
        });

        Assert.Contains(Assert.IsType<OptionsValidationException>(ex).Failures, f => f.Contains("Telemetry:OtlpEndpoint must be an absolute http(s) URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rest_setting_out_of_range_fails_at_start_before_any_call_is_made()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var app = BotHost.Build(BotPlatform.Discord, [.. Discord, new("Discord:Rest:MaxRetries", "99")]);
            await app.StartAsync();
        });

        Assert.Contains(Assert.IsType<OptionsValidationException>(ex).Failures, f => f.Contains("MaxRetries", StringComparison.Ordinal) && f.Contains("between 0 and 10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_nothing_exports_and_with_one_metrics_and_traces_do()
    {
        await using var quiet = BotHost.Build(BotPlatform.Discord, Discord);
        await using var exporting = BotHost.Build(BotPlatform.Discord, [.. Discord, new("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")]);

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
