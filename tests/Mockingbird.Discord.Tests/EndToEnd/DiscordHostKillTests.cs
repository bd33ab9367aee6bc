using System.Text.Json.Nodes;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Tests.Gateway;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.EndToEnd;

/// <summary>
/// The bot as users run it, <c>mockingbird bot discord</c> in its own process configured through the environment,
/// killed with SIGKILL at the worst moment and started again, against real Redis and the fake Discord.
/// </summary>
public sealed class DiscordHostKillTests : IAsyncLifetime
{
    private const string Token = "MTEwMDAw.host-kill.bot-token-that-must-never-be-logged";
    private const string Candidate = DiscordEvents.Candidate;

    private readonly string _keyPrefix = "kill" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<BotProcess> _hosts = [];
    private RedisServer _redis = null!;
    private FakeDiscordApi _api = null!;
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _api = await FakeDiscordApi.StartAsync(Token, DiscordEvents.ApplicationId);
        _gateway = await FakeGateway.StartAsync(Token, TimeSpan.FromMilliseconds(500));
        _api.GatewayUrl = _gateway.Url.ToString();
    }

    public async Task DisposeAsync()
    {
        // The processes go first, whatever the test did: a held request or a live socket must not outlive the test.
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _gateway.DisposeAsync();
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Feedback_Discord_took_from_a_host_killed_before_recording_it_appears_once_after_a_restart(bool restartedAfterDiscordForgotTheNonce)
    {
        var first = StartHost();
        await EventuallyAsync(() => _gateway.SessionsEstablished >= 1, "the first host to connect to the gateway", TimeSpan.FromSeconds(30));
        var thread = await StartInterviewAsync();

        var feedbackTaken = _api.HoldAnswerAfterAccepting(body => Contains(body, "Feedback on question 1"));
        var answer = _api.WriteMessage(thread.Id, Candidate, DiscordBotEndToEndTests.DesignAnswer);
        await _gateway.DispatchAsync("MESSAGE_CREATE", answer);
        await WithHostOutputAsync(() => feedbackTaken.WaitAsync(TimeSpan.FromSeconds(20), TimeProvider.System), "Discord to take the feedback");

        // The answer's reaction is added after the answer is saved, so the worker may have got this far first.
        await EventuallyAsync(() => _api.Reactions.Any(r => r.MessageId == (string)answer["id"]!), "the answer's reaction before the kill", TimeSpan.FromSeconds(20));
        await first.KillAsync();

        // Killed while waiting for Discord's answer: nothing after the feedback was posted, so the post was not recorded.
        Assert.Equal(1, Count(thread.Id, "Feedback on question 1"));
        Assert.Equal(0, Count(thread.Id, "Follow-up 1 on question 1"));

        if (restartedAfterDiscordForgotTheNonce)
        {
            // Down longer than the few minutes Discord keeps a nonce: the repeat of the post is not dropped by Discord.
            _api.ForgetNonces();
        }

        StartHost();
        await EventuallyAsync(() => Count(thread.Id, "Follow-up 1 on question 1") > 0, "the restarted host to finish the feedback's delivery", TimeSpan.FromSeconds(30));

        Assert.Equal(1, Count(thread.Id, "Feedback on question 1"));
        var contents = _api.Messages(thread.Id).Select(m => m.Body["content"]!.GetValue<string>()).ToList();
        Assert.Equal(contents.Count, contents.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(_api.Reactions, r => r.MessageId == (string)answer["id"]! && r.Emoji == "✅");
        Assert.Empty(_api.Violations);
        Assert.Empty(_gateway.Violations);
        Assert.All(_hosts, host => Assert.DoesNotContain(Token, host.Output, StringComparison.Ordinal));
    }

    /// <summary>Starts a one-question design interview over the gateway and returns its thread once the question is posted.</summary>
    private async Task<CreatedThread> StartInterviewAsync()
    {
        var start = DiscordEvents.Start("system-design", questions: 1);
        _api.RegisterInteraction(start.Id, start.Token, DiscordEvents.Channel);
        await _gateway.DispatchAsync("INTERACTION_CREATE", start.Body);
        await EventuallyAsync(() => _api.Threads.Count > 0, "the interview thread");
        var thread = Assert.Single(_api.Threads);
        await EventuallyAsync(() => Count(thread.Id, "Question 1 of 1") > 0, "the first question");
        return thread;
    }

    /// <summary>
    /// Runs <c>dotnet mockingbird.dll bot discord</c> with its settings as <c>MOCKINGBIRD_</c> environment variables,
    /// as a user's shell or container would pass them; every host started shares the same settings.
    /// </summary>
    private BotProcess StartHost()
    {
        var host = BotProcess.Start("discord", Settings());
        _hosts.Add(host);
        return host;
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["Discord:BotToken"] = Token,
        ["Discord:ApplicationId"] = DiscordEvents.ApplicationId,
        ["Discord:ApiBaseUrl"] = _api.ApiBaseUrl.ToString(),
        ["Discord:DevelopmentGuildIds:0"] = DiscordEvents.Guild,
        ["Redis:Configuration"] = _redis.Endpoint,
        ["Redis:KeyPrefix"] = _keyPrefix,
        ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        ["Sessions:ReclaimAfter"] = "00:00:03",
        ["Judging:Sweep"] = "00:00:00.050",
        ["Logging:LogLevel:Default"] = "Debug",
    };

    private int Count(string channel, string text) => _api.Messages(channel).Count(m => Contains(m.Body, text));

    private static bool Contains(JsonObject message, string text) =>
        (message["content"]?.GetValue<string>() ?? string.Empty).Contains(text, StringComparison.Ordinal)
        || (message["embeds"]?.ToJsonString() ?? string.Empty).Contains(text, StringComparison.Ordinal);

    private Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WithHostOutputAsync(() => Poll.UntilAsync(condition, what, timeout), what);

    /// <summary>A wait that fails with what the hosts printed, which is all there is to go on when a child process misbehaves.</summary>
    private async Task WithHostOutputAsync(Func<Task> wait, string what)
    {
        try
        {
            await wait();
        }
        catch (TimeoutException ex)
        {
            var output = string.Join("\n", _hosts.Select((h, i) => $"--- host {i + 1} ({h.State}) ---\n{h.Output}"));
            throw new TimeoutException($"Timed out waiting for {what}.\n{output}", ex);
        }
    }
}
