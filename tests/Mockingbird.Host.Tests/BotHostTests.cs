using Microsoft.Extensions.Options;
using Mockingbird.Host.Bot;

namespace Mockingbird.Host.Tests;

public sealed class BotHostTests
{
    [Fact]
    public async Task A_bot_without_a_token_or_application_id_fails_at_start_naming_both_settings()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var app = BotHost.Build([new("Urls", "http://127.0.0.1:0")]);
            await app.StartAsync();
        });

        var failures = Assert.IsType<OptionsValidationException>(ex).Failures.ToList();
        Assert.Contains(failures, f => f.Contains("Discord:BotToken is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Discord:ApplicationId is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_http_endpoint_without_a_public_key_fails_at_start_naming_the_setting()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var app = BotHost.Build(
            [
                new("Urls", "http://127.0.0.1:0"),
                new("Discord:BotToken", "token"),
                new("Discord:ApplicationId", "123"),
                new("Discord:InteractionsEndpoint", "true"),
            ]);
            await app.StartAsync();
        });

        Assert.Contains(Assert.IsType<OptionsValidationException>(ex).Failures, f => f.Contains("Discord:PublicKey", StringComparison.Ordinal));
    }
}
