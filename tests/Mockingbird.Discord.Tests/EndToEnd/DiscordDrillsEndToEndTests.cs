using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Tests.Gateway;
using Mockingbird.Drills;
using Mockingbird.Host.Bot;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.EndToEnd;

/// <summary>
/// Practice that comes back, on Discord: the bot as the host composes it, one fake clock driving the bot, its drill
/// scheduler and the fake Discord, which checks every body against Discord's published schema.
/// </summary>
public sealed class DiscordDrillsEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Token = "MTEwMDAw.drills.bot-token-that-must-never-be-logged";
    private const string Candidate = DiscordEvents.Candidate;
    private const string Stranger = DiscordEvents.Bystander;
    private const string Dimension = "coverage";

    private const string Answer =
        "Attention cost grows with the square of the sequence length because every token attends to every other token. " +
        "For long inputs I would use sparse or sliding-window attention, or FlashAttention to cut memory traffic, and measure latency and quality.";

    /// <summary>Monday 30 November 2026, 11:00 UTC: outside quiet hours.</summary>
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.Zero));
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

    private static string CandidateId => DiscordInterviewBot.CandidateOf(Candidate);

    [Fact]
    public async Task A_due_drill_comes_by_direct_message_is_answered_in_its_form_judged_once_and_moves_the_plan_up_the_ladder()
    {
        var sent = await DueDrillSentAsync();
        var direct = _api.DirectMessageChannel(Candidate)!;
        var button = (string)sent.Body["components"]![0]!["components"]![0]!["custom_id"]!;
        Assert.True(ComponentIds.IsDrillAnswer(button, out var owner, out var drillId));
        Assert.Equal(Candidate, owner);
        Assert.Contains(DrillQuestions.Framing, (string)sent.Body["content"]!, StringComparison.Ordinal);

        var modal = await PressAsync(DirectInteraction(3, Candidate, direct, new JsonObject { ["custom_id"] = button, ["component_type"] = 2 }, sent.Id));
        Assert.Equal(9, modal["type"]!.GetValue<int>());
        var form = (string)modal["data"]!["custom_id"]!;

        Assert.Equal(DrillAnswers.Taken, await CompleteAsync(DirectInteraction(5, Candidate, direct, Form(form, Answer))));
        Assert.Equal(DrillAnswers.TakenBefore, await CompleteAsync(DirectInteraction(5, Candidate, direct, Form(form, Answer))));

        var worker = _bot.Services.GetRequiredService<JudgingWorker>();
        var feedback = await Poll.ForAsync(
            async () =>
            {
                await worker.RunOnceAsync("drill-test", 8, default);
                return _api.Messages(direct).Skip(1).FirstOrDefault();
            },
            "the drill's feedback by direct message",
            TimeSpan.FromSeconds(30));
        for (var i = 0; i < 3; i++)
        {
            await worker.RunOnceAsync("drill-test", 8, default);
        }

        var plan = (await _bot.Services.GetRequiredService<IDrillStore>().FindAsync(CandidateId, default))!;
        var judged = Assert.Single(plan.Answers);
        Assert.Equal(drillId, judged.DrillId);
        Assert.Equal(2, _api.Messages(direct).Count);
        var text = (string)feedback.Body["content"]!;
        Assert.StartsWith($"Drill on {Dimension}: {judged.Total:0.0} of 4", text, StringComparison.Ordinal);
        Assert.Contains("Next drill:", text, StringComparison.Ordinal);

        // The ladder: a weak answer comes back a day after the drill was sent, a strong one three days after.
        var drilled = plan.Find(Dimension)!;
        var sentAt = plan.Sent.Single(s => s.DrillId == drillId).SentAt;
        Assert.Equal(judged.Total < DrillSchedule.WeakBelow ? 0 : 1, drilled.Step);
        Assert.Equal(sentAt + DrillSchedule.Intervals[drilled.Step], drilled.DueAt);
        // The text goes once the feedback is sent, by whichever worker sent it: the bot's own may have taken the job.
        await Poll.UntilAsync(
            async () => await _bot.Services.GetRequiredService<IDrillStore>().FindAnswerAsync(CandidateId, drillId, default) is null,
            "the drill answer's text to be dropped after its feedback",
            TimeSpan.FromSeconds(30));
        Assert.Empty(_api.Violations);
        Assert.All(_api.Messages(direct), m => Assert.True(m.Body["enforce_nonce"]!.GetValue<bool>()));
        Assert.All(_api.Messages(direct), m => Assert.Equal("""{"parse":[]}""", m.Body["allowed_mentions"]!.ToJsonString()));
        Assert.DoesNotContain(_logs.Entries, l => l.Contains(Token, StringComparison.Ordinal) || l.Contains("FlashAttention", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drills_turned_on_in_a_server_are_on_because_discord_can_send_them()
    {
        var options = new JsonArray(new JsonObject { ["name"] = "state", ["type"] = 3, ["value"] = "on" }, new JsonObject { ["name"] = "timezone", ["type"] = 3, ["value"] = "Europe/Berlin" });

        var reply = await CompleteAsync(DiscordEvents.Command("drills", options: options));

        Assert.StartsWith("Drills are on.", reply, StringComparison.Ordinal);
        Assert.True((await _bot.Services.GetRequiredService<IDrillStore>().FindAsync(CandidateId, default))!.On);
    }

    [Fact]
    public async Task Someone_else_pressing_or_forging_a_candidates_drill_button_is_refused_and_nothing_is_recorded()
    {
        var sent = await DueDrillSentAsync();
        var direct = _api.DirectMessageChannel(Candidate)!;
        var button = (string)sent.Body["components"]![0]!["components"]![0]!["custom_id"]!;
        Assert.True(ComponentIds.IsDrillAnswer(button, out var owner, out var drillId));

        var pressed = await PressAsync(DirectInteraction(3, Stranger, direct, new JsonObject { ["custom_id"] = button, ["component_type"] = 2 }, sent.Id));
        Assert.Equal((4, 64), (pressed["type"]!.GetValue<int>(), pressed["data"]!["flags"]!.GetValue<int>()));
        Assert.Equal(DrillAnswers.NotYours, (string)pressed["data"]!["content"]!);

        var forged = await CompleteAsync(DirectInteraction(5, Stranger, direct, Form(ComponentIds.DrillModal(owner, drillId), Answer)));
        Assert.Equal(DrillAnswers.NotYours, forged);
        Assert.Null(await _bot.Services.GetRequiredService<IDrillStore>().FindAnswerAsync(CandidateId, drillId, default));
        Assert.Null(await _bot.Services.GetRequiredService<IDrillStore>().FindAnswerAsync(DiscordInterviewBot.CandidateOf(Stranger), drillId, default));
    }

    [Fact]
    public async Task An_empty_or_oversize_drill_answer_gets_a_clear_reply_and_the_oversize_text_back()
    {
        var sent = await DueDrillSentAsync();
        var direct = _api.DirectMessageChannel(Candidate)!;
        Assert.True(ComponentIds.IsDrillAnswer((string)sent.Body["components"]![0]!["components"]![0]!["custom_id"]!, out var owner, out var drillId));
        var form = ComponentIds.DrillModal(owner, drillId);

        Assert.Contains("empty answer", await CompleteAsync(DirectInteraction(5, Candidate, direct, Form(form, "   "))), StringComparison.Ordinal);
        var oversize = "Sliding windows. " + new string('x', DrillAnswers.MaxCharacters);
        var reply = await CompleteAsync(DirectInteraction(5, Candidate, direct, Form(form, oversize)));
        Assert.Contains("Nothing was recorded", reply, StringComparison.Ordinal);
        Assert.Contains("Sliding windows.", reply, StringComparison.Ordinal);
        Assert.Null(await _bot.Services.GetRequiredService<IDrillStore>().FindAnswerAsync(CandidateId, drillId, default));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public async Task A_drill_sent_again_after_the_sender_died_once_discord_took_it_is_posted_once(int minutesLater)
    {
        var platform = _bot.Services.GetRequiredService<IDrillPlatform>();
        var drill = new DrillMessage(CandidateId, "coverage@1764500400000", Dimension, "What limits attention on long inputs?");
        var held = _api.HoldAnswerAfterAccepting(body => body["components"] is not null);
        using var dying = new CancellationTokenSource();
        var first = platform.SendAsync(drill, dying.Token);
        await Poll.UntilAsync(() => held.IsCompleted, "Discord to accept the first drill post");
        await dying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        // The next sender comes once the dead one's claim has lapsed: soon, or long after Discord forgot the nonce.
        _clock.Advance(TimeSpan.FromMinutes(minutesLater));
        await platform.SendAsync(drill, default);

        var posted = Assert.Single(_api.Messages(_api.DirectMessageChannel(Candidate)!));
        Assert.Contains("What limits attention", (string)posted.Body["content"]!, StringComparison.Ordinal);
        Assert.Contains(_api.RequestLog, r => r.Route == "GET /channels/{channel}/messages" && r.Status == 200);
        Assert.Empty(_api.Violations);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public async Task Drill_feedback_sent_again_after_the_sender_died_once_discord_took_it_is_posted_once(int minutesLater)
    {
        var platform = _bot.Services.GetRequiredService<IDrillPlatform>();
        var feedback = new DrillFeedbackMessage(CandidateId, "coverage@1764500400000", "Drill on coverage: 3.5 of 4 (it comes back later than last time).\nNext drill: Wed 2 Dec 11:00 (UTC), on coverage.");
        var held = _api.HoldAnswerAfterAccepting(body => ((string?)body["content"])?.StartsWith("Drill on", StringComparison.Ordinal) == true);
        using var dying = new CancellationTokenSource();
        var first = platform.SendFeedbackAsync(feedback, dying.Token);
        await Poll.UntilAsync(() => held.IsCompleted, "Discord to accept the first feedback post");
        await dying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        // Rendered again when sent again: the line on the next drill may read differently by then.
        _clock.Advance(TimeSpan.FromMinutes(minutesLater));
        await platform.SendFeedbackAsync(feedback with { Text = feedback.Text.Replace("on coverage.", "on latency.", StringComparison.Ordinal) }, default);

        var posted = Assert.Single(_api.Messages(_api.DirectMessageChannel(Candidate)!));
        Assert.Contains("3.5 of 4", (string)posted.Body["content"]!, StringComparison.Ordinal);
        Assert.Contains(_api.RequestLog, r => r.Route == "GET /channels/{channel}/messages" && r.Status == 200);
        Assert.Empty(_api.Violations);
    }

    /// <summary>A candidate with drills on whose drill falls due now, and the scheduler's direct message.</summary>
    private async Task<PostedMessage> DueDrillSentAsync()
    {
        var now = _clock.GetUtcNow();
        var plan = DrillPlan.New(CandidateId) with { On = true, Dimensions = [new DrilledDimension(Dimension, 0, now + TimeSpan.FromMinutes(1))] };
        Assert.True(await _bot.Services.GetRequiredService<IDrillStore>().SaveAsync(plan, 0, now + TimeSpan.FromMinutes(1), default));
        _clock.Advance(TimeSpan.FromMinutes(2));
        var scheduler = _bot.Services.GetRequiredService<DrillScheduler>();
        var sent = await Poll.ForAsync(
            async () =>
            {
                await scheduler.RunDueAsync(default);
                return _api.DirectMessageChannel(Candidate) is { } direct ? _api.Messages(direct) is [var first, ..] ? first : null : null;
            },
            "the drill by direct message");

        // The bot's own scheduler may have sent it, and it notes the drill in the plan only after the send.
        await Poll.UntilAsync(async () => (await _bot.Services.GetRequiredService<IDrillStore>().FindAsync(CandidateId, default))?.Sent.Count > 0, "the sent drill in the plan");
        return sent;
    }

    private static JsonObject Form(string customId, string answer) => new()
    {
        ["custom_id"] = customId,
        ["components"] = new JsonArray(
            new JsonObject { ["type"] = 10, ["id"] = 1, ["content"] = "the drill" },
            new JsonObject { ["type"] = 18, ["id"] = 2, ["component"] = new JsonObject { ["type"] = 4, ["id"] = 3, ["custom_id"] = "mb:answer-1", ["value"] = answer } }),
    };

    /// <summary>An interaction in the bot's direct messages: Discord sends <c>user</c>, not <c>member</c>, and no guild.</summary>
    private static FakeInteraction DirectInteraction(int type, string user, string channel, JsonObject data, string? messageId = null)
    {
        var id = DiscordEvents.NextId();
        var body = new JsonObject
        {
            ["id"] = id,
            ["application_id"] = DiscordEvents.ApplicationId,
            ["type"] = type,
            ["token"] = $"interaction-token-{id}",
            ["version"] = 1,
            ["channel_id"] = channel,
            ["channel"] = new JsonObject { ["id"] = channel, ["type"] = 1 },
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user == Candidate ? "ada" : "bob" },
            ["data"] = data,
        };
        if (messageId is not null)
        {
            body["message"] = new JsonObject { ["id"] = messageId, ["channel_id"] = channel };
        }

        return new FakeInteraction(id, $"interaction-token-{id}", body);
    }

    private async Task<string> CompleteAsync(FakeInteraction interaction)
    {
        var made = DiscordEvents.MadeAt(interaction, _clock.GetUtcNow());
        _api.RegisterInteraction(made.Id, made.Token, (string)made.Body["channel_id"]!);
        await _gateway.DispatchAsync("INTERACTION_CREATE", made.Body);
        var edit = await Poll.ForAsync(() => _api.OriginalEdits.FirstOrDefault(e => e.Token == made.Token), $"the reply to interaction {made.Id}");
        return edit.Body["content"]!.GetValue<string>();
    }

    private async Task<JsonObject> PressAsync(FakeInteraction interaction)
    {
        var made = DiscordEvents.MadeAt(interaction, _clock.GetUtcNow());
        _api.RegisterInteraction(made.Id, made.Token, (string)made.Body["channel_id"]!);
        await _gateway.DispatchAsync("INTERACTION_CREATE", made.Body);
        var callback = await Poll.ForAsync(() => _api.Callbacks.FirstOrDefault(c => c.InteractionId == made.Id), $"the response to button press {made.Id}");
        return callback.Body;
    }
}
