using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Tests.Gateway;
using Mockingbird.Host.Bot;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.EndToEnd;

/// <summary>
/// A study group's whole day on Discord: the bot as the host composes it, in this process so that one fake clock
/// drives the bot, its scheduler and the fake Discord, which speaks the gateway and REST on 127.0.0.1 and checks
/// every request body against Discord's published schema.
/// </summary>
public sealed class DiscordStudyGroupEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Token = "MTEwMDAw.study-group.bot-token-that-must-never-be-logged";
    private const string Channel = DiscordEvents.Channel;
    private const string Admin = DiscordEvents.Candidate;
    private const string Member = DiscordEvents.Bystander;
    private const string Role = "3000000000000000001";

    private const string AdminAnswer =
        "I would first check the gap between training and validation error: a large gap means high variance, so overfitting. " +
        "To confirm it I would plot learning curves and use cross-validation. Then I would try regularisation, more data, " +
        "early stopping and a simpler model, and check for leakage between the splits.";

    private const string MemberAnswer =
        "The model overfits: variance is high. I would add regularisation such as dropout or weight decay and gather more data.";

    /// <summary>Monday 30 November 2026, 08:30 in Berlin: half an hour before the daily question is due.</summary>
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 7, 30, 0, TimeSpan.Zero));
    private readonly RecordingLoggerProvider _logs = new();
    private FakeDiscordApi _api = null!;
    private FakeGateway _gateway = null!;
    private WebApplication _bot = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeDiscordApi.StartAsync(Token, DiscordEvents.ApplicationId, _clock);
        _gateway = await FakeGateway.StartAsync(Token, TimeSpan.FromSeconds(41));
        _api.GatewayUrl = _gateway.Url.ToString();
        _bot = await BotHost.BuildAsync(BotPlatform.Discord, new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Discord:BotToken"] = Token,
            ["Discord:ApplicationId"] = DiscordEvents.ApplicationId,
            ["Discord:ApiBaseUrl"] = _api.ApiBaseUrl.ToString(),
            ["Discord:DevelopmentGuildIds:0"] = DiscordEvents.Guild,
            ["Discord:InteractionsEndpoint"] = "false",
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
            ["Logging:LogLevel:Default"] = "Debug",
        }, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(_clock);
            builder.Logging.AddProvider(_logs);
        });
        await _bot.StartAsync();
        await _gateway.WaitForSessionsAsync(1, TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        await _bot.StopAsync();
        await _bot.DisposeAsync();
        await _gateway.DisposeAsync();
        await _api.DisposeAsync();
        _logs.Dispose();
    }

    public void Dispose() => _logs.Dispose();

    private DailyScheduler Scheduler => _bot.Services.GetRequiredService<DailyScheduler>();

    [Fact]
    public async Task A_whole_day_is_set_by_an_admin_posted_once_answered_blind_closed_judged_and_revealed_with_its_board()
    {
        var set = new JsonArray(
            new JsonObject { ["name"] = "time", ["type"] = 3, ["value"] = "09:00" },
            new JsonObject { ["name"] = "timezone", ["type"] = 3, ["value"] = "Europe/Berlin" },
            new JsonObject { ["name"] = "channel", ["type"] = 7, ["value"] = Channel },
            new JsonObject { ["name"] = "stage", ["type"] = 3, ["value"] = "theory" },
            new JsonObject { ["name"] = "hours", ["type"] = 4, ["value"] = 2 },
            new JsonObject { ["name"] = "role", ["type"] = 8, ["value"] = Role });

        var refused = await CommandAsync(DiscordEvents.Daily("set", Member, DiscordEvents.MemberPermissions, set.DeepClone().AsArray()));
        Assert.Contains("Only people who can manage this server", refused, StringComparison.Ordinal);
        var accepted = await CommandAsync(DiscordEvents.Daily("set", Admin, DiscordEvents.ModeratorPermissions, set));
        Assert.Contains($"Daily question set for <#{Channel}>", accepted, StringComparison.Ordinal);

        // 09:00 in Berlin is 08:00 UTC; the slot is posted once however often the scheduler looks.
        _clock.Advance(TimeSpan.FromMinutes(30.5));
        await Scheduler.TickAsync(default);
        await Scheduler.TickAsync(default);
        await Poll.UntilAsync(() => _api.Threads.Count > 0, "the round's thread (the host's own scheduler may be the one posting)");
        var post = Assert.Single(_api.Messages(Channel));
        var thread = Assert.Single(_api.Threads);
        Assert.Equal((post.Id, Channel), (thread.Id, thread.ParentId));
        Assert.StartsWith($"<@&{Role}>", post.Body["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($$"""{"parse":[],"roles":["{{Role}}"]}""", post.Body["allowed_mentions"]!.ToJsonString());
        var answerButton = (string)post.Body["components"]![0]!["components"]![0]!["custom_id"]!;
        Assert.True(ComponentIds.IsDailyAnswer(answerButton, out var roundId));
        var store = _bot.Services.GetRequiredService<IStudyGroupStore>();
        await Poll.UntilAsync(async () => (await store.FindRoundAsync(roundId, default))?.State == RoundState.Open, "the round to open once its thread exists");

        // Two members answer through the form; the post shows who, never what.
        foreach (var (member, answer) in new[] { (Admin, AdminAnswer), (Member, MemberAnswer) })
        {
            var modal = await PressAsync(DiscordEvents.DailyAnswer(Channel, member, answerButton, post.Id));
            Assert.Equal(9, modal["type"]!.GetValue<int>());
            var reply = await CommandAsync(DiscordEvents.DailyForm(Channel, member, (string)modal["data"]!["custom_id"]!, answer));
            Assert.Contains("Your answer is in", reply, StringComparison.Ordinal);
        }

        var tally = _api.Edits.Last(e => e.MessageId == post.Id).Body;
        Assert.Contains($"2 · <@{Admin}>, <@{Member}>", tally["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("""{"parse":[]}""", tally["allowed_mentions"]!.ToJsonString());
        Assert.All(_api.Edits, e => Assert.DoesNotContain("regularisation", e.Body.ToJsonString(), StringComparison.Ordinal));
        Assert.Empty(_api.Messages(thread.Id));

        // Past the deadline the round closes, its answers are judged once and the thread gets the reveal.
        _clock.Advance(TimeSpan.FromHours(2));
        await Scheduler.TickAsync(default);

        // The host's own scheduler ticks too when the clock moves, and may be the one that closes the round.
        var closed = await Poll.ForAsync(
            () => _api.Edits.LastOrDefault(e => e.MessageId == post.Id && e.Body["components"]?[0]?["components"]?[0]?["disabled"] is not null)?.Body,
            "the post to show the round closed");
        Assert.Contains("closed", closed["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var worker = _bot.Services.GetRequiredService<JudgingWorker>();
        await Poll.UntilAsync(
            async () =>
            {
                await worker.RunOnceAsync("study-group-test", 8, default);
                await Scheduler.TickAsync(default);
                return Count(thread.Id, "Today's board") > 0;
            },
            "the reveal in the round's thread",
            TimeSpan.FromSeconds(30));

        Assert.Equal(1, Count(thread.Id, "The reveal"));
        Assert.Equal(1, Count(thread.Id, "What a strong answer covers"));
        Assert.Equal(1, Count(thread.Id, $"Feedback for <@{Admin}>"));
        Assert.Equal(1, Count(thread.Id, $"Feedback for <@{Member}>"));
        var board = _api.Messages(thread.Id).Single(m => Text(m).Contains("Today's board", StringComparison.Ordinal));
        Assert.Contains($"<@{Admin}>", Text(board), StringComparison.Ordinal);
        Assert.Contains($"<@{Member}>", Text(board), StringComparison.Ordinal);

        // The button of a closed round says so, privately and at once.
        var late = await PressAsync(DiscordEvents.DailyAnswer(Channel, Member, answerButton, post.Id));
        Assert.Equal((4, 64), (late["type"]!.GetValue<int>(), late["data"]!["flags"]!.GetValue<int>()));
        Assert.Contains("closed", late["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Contains($"<@{Admin}>", await CommandAsync(DiscordEvents.Daily("board", Member, DiscordEvents.MemberPermissions)), StringComparison.Ordinal);
        Assert.Single(_api.Messages(Channel));
        Assert.Empty(_api.Violations);
        Assert.Empty(_gateway.Violations);
        Assert.All(_api.AllMessages.Where(m => m.Id != post.Id), m => Assert.Equal("""{"parse":[]}""", m.Body["allowed_mentions"]!.ToJsonString()));
        Assert.All(_api.AllMessages, m => Assert.True(m.Body["enforce_nonce"]!.GetValue<bool>()));
        Assert.DoesNotContain(_logs.Entries, l => l.Contains(Token, StringComparison.Ordinal) || l.Contains("regularisation", StringComparison.Ordinal));
    }

    /// <summary>Sends an interaction over the gateway, made now on the bot's clock, and returns the reply it completes with.</summary>
    private async Task<string> CommandAsync(FakeInteraction interaction)
    {
        var made = DiscordEvents.MadeAt(interaction, _clock.GetUtcNow());
        _api.RegisterInteraction(made.Id, made.Token, Channel);
        await _gateway.DispatchAsync("INTERACTION_CREATE", made.Body);
        var edit = await Poll.ForAsync(() => _api.OriginalEdits.FirstOrDefault(e => e.Token == made.Token), $"the reply to interaction {made.Id}");
        return edit.Body["content"]!.GetValue<string>();
    }

    /// <summary>Presses a button over the gateway and returns the bot's first response to it.</summary>
    private async Task<JsonObject> PressAsync(FakeInteraction interaction)
    {
        var made = DiscordEvents.MadeAt(interaction, _clock.GetUtcNow());
        _api.RegisterInteraction(made.Id, made.Token, Channel);
        await _gateway.DispatchAsync("INTERACTION_CREATE", made.Body);
        var callback = await Poll.ForAsync(() => _api.Callbacks.FirstOrDefault(c => c.InteractionId == made.Id), $"the response to button press {made.Id}");
        return callback.Body;
    }

    private static string Text(PostedMessage message) => message.Body["content"]?.GetValue<string>() ?? string.Empty;

    private int Count(string channel, string text) => _api.Messages(channel).Count(m => Text(m).Contains(text, StringComparison.Ordinal));
}
