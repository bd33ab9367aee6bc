using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Tests.Gateway;
using Mockingbird.Host.Bot;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.EndToEnd;

/// <summary>The bot's health endpoints as an orchestrator probes them, with Redis and the gateway really up or down.</summary>
public sealed class DiscordHealthTests : IAsyncLifetime, IDisposable
{
    private const string Token = "MTEwMDAw.health.bot-token-that-must-never-be-logged";

    private readonly string _keyPrefix = "health" + Guid.NewGuid().ToString("N")[..8];
    private RedisServer _redis = null!;
    private FakeDiscordApi _api = null!;
    private FakeGateway _gateway = null!;
    private WebApplication? _bot;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _api = await FakeDiscordApi.StartAsync(Token, DiscordEvents.ApplicationId);
        _gateway = await FakeGateway.StartAsync(Token, TimeSpan.FromMilliseconds(500));
        _api.GatewayUrl = _gateway.Url.ToString();
    }

    public void Dispose() => _http?.Dispose();

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.StopAsync();
            await _bot.DisposeAsync();
        }

        await _gateway.DisposeAsync();
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Readiness_is_503_naming_redis_while_redis_is_down_and_200_again_once_it_is_back()
    {
        await StartBotAsync();
        await _gateway.WaitForSessionsAsync(1, TimeSpan.FromSeconds(10));
        var ready = await ReadyWhenAsync(HttpStatusCode.OK, "readiness with Redis up and the gateway connected");
        Assert.Equal("Healthy", Check(ready, "redis")["status"]!.GetValue<string>());
        Assert.True(Check(ready, "platform")["data"]!["discord-gateway"]!.GetValue<bool>());

        await _redis.StopAsync();
        var down = await ReadyWhenAsync(HttpStatusCode.ServiceUnavailable, "readiness to fail with Redis stopped");
        Assert.Equal("Unhealthy", down["status"]!.GetValue<string>());
        Assert.Equal("Unhealthy", Check(down, "redis")["status"]!.GetValue<string>());
        Assert.Equal("Healthy", Check(down, "platform")["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _http!.GetAsync(new Uri("healthz/live", UriKind.Relative))).StatusCode);

        await _redis.RestartAsync();
        var back = await ReadyWhenAsync(HttpStatusCode.OK, "readiness to come back with Redis restarted", TimeSpan.FromSeconds(30));
        Assert.Equal("Healthy", Check(back, "redis")["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bot_whose_gateway_never_connects_is_live_but_not_ready()
    {
        _api.GatewayUrl = "ws://127.0.0.1:1/";
        await StartBotAsync();

        var notReady = await ReadyWhenAsync(HttpStatusCode.ServiceUnavailable, "readiness without a gateway connection");

        Assert.Equal("Unhealthy", Check(notReady, "platform")["status"]!.GetValue<string>());
        Assert.False(Check(notReady, "platform")["data"]!["discord-gateway"]!.GetValue<bool>());
        Assert.Equal("Healthy", Check(notReady, "redis")["status"]!.GetValue<string>());
        var live = await _http!.GetAsync(new Uri("healthz/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode);
    }

    private static JsonNode Check(JsonNode report, string name) =>
        report["checks"]?[name] ?? throw new Xunit.Sdk.XunitException($"The report has no '{name}' check: {report.ToJsonString()}");

    private async Task StartBotAsync()
    {
        _bot = await BotHost.BuildAsync(BotPlatform.Discord, new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Discord:BotToken"] = Token,
            ["Discord:ApplicationId"] = DiscordEvents.ApplicationId,
            ["Discord:ApiBaseUrl"] = _api.ApiBaseUrl.ToString(),
            ["Discord:RegisterCommands"] = "false",
            ["Redis:Configuration"] = _redis.Endpoint,
            ["Redis:KeyPrefix"] = _keyPrefix,
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        });
        await _bot.StartAsync();
        var address = _bot.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    /// <summary>Probes <c>/healthz/ready</c> until it answers <paramref name="status"/>; the timeout names the last answer.</summary>
    private async Task<JsonNode> ReadyWhenAsync(HttpStatusCode status, string what, TimeSpan? timeout = null)
    {
        var last = "no answer";
        try
        {
            var body = await Poll.ForAsync(
                async () =>
                {
                    using var response = await _http!.GetAsync(new Uri("healthz/ready", UriKind.Relative));
                    var text = await response.Content.ReadAsStringAsync();
                    last = $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {text}";
                    return response.StatusCode == status && response.Content.Headers.ContentType?.MediaType == "application/json" ? text : null;
                },
                what,
                timeout ?? TimeSpan.FromSeconds(15));
            return JsonNode.Parse(body)!;
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{timedOut.Message} /healthz/ready last answered {last}", timedOut);
        }
    }
}
