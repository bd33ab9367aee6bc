using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Delivery;
using Mockingbird.Drills;
using Mockingbird.Host.Bot;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.Slack.Tests.SocketMode;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.EndToEnd;

/// <summary>
/// Practice that comes back, on Slack: the bot composed as the host composes it (offline judge, judging workers)
/// against the fake Slack over Socket Mode and the Web API. Drills run on a fake clock the test moves; everything
/// else runs on real time.
/// </summary>
public sealed class SlackDrillsEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string BotToken = "xoxb-drills-end-to-end";
    private const string AppToken = "xapp-drills-end-to-end";
    private const string Ada = "U0ADA";
    private const string Bob = "U0BOB";
    private const string Dimension = "coverage";

    private const string Answer =
        "Attention cost grows with the square of the sequence length because every token attends to every other token. " +
        "For long inputs I would use sparse or sliding-window attention, or FlashAttention to cut memory traffic, and measure latency and quality.";

    private readonly RecordingLoggerProvider _logs = new();

    /// <summary>Monday 30 November 2026, 11:00 UTC: outside quiet hours.</summary>
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.Zero));
    private DyingLedger _ledger = null!;
    private FakeSlackWebApi _web = null!;
    private FakeSlackSocket _socket = null!;
    private WebApplication _bot = null!;

    private static string AdaId => SlackInterviewBot.CandidateOf(Ada);

    private static string AdaDirect => "D" + Ada;

    public async Task InitializeAsync()
    {
        // Messages are stamped on the drills' clock, which the ledger's claims are read on too.
        _web = await FakeSlackWebApi.StartAsync(BotToken, AppToken, _clock);
        // Slack's own clock stands still: no ack deadline passes while the test moves the drills' clock on.
        _socket = await FakeSlackSocket.StartAsync(new FakeTimeProvider());
        _web.SocketUrl = () => _socket.NextConnectionUrl().ToString();
        _web.AddUser(Ada);
        _web.AddUser(Bob);
        _bot = await BotHost.BuildAsync(BotPlatform.Slack, new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Slack:BotToken"] = BotToken,
            ["Slack:AppToken"] = AppToken,
            ["Slack:Transport"] = "SocketMode",
            ["Slack:ApiBaseUrl"] = _web.ApiBaseUrl.ToString(),
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
            ["Judging:Sweep"] = "00:00:00.050",
            ["Slack:Web:PostMessageInterval"] = "00:00:00.020",
        }, builder =>
        {
            builder.Logging.AddProvider(_logs);

            // Drills are sent, judged and scheduled on the test's clock, and their claims in the ledger lapse on it.
            builder.Services.Replace(ServiceDescriptor.Singleton<IDeliveryLedger>(sp => new DyingLedger(ActivatorUtilities.CreateInstance<InMemoryDeliveryLedger>(sp, _clock))));
            builder.Services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<DrillScheduler>(sp, _clock)));
            builder.Services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<DrillAnswerJudging>(sp, _clock)));
        });
        _ledger = (DyingLedger)_bot.Services.GetRequiredService<IDeliveryLedger>();
        await _bot.StartAsync();
        await _socket.WaitForLiveConnectionsAsync(2, TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        await _bot.StopAsync();
        await _bot.DisposeAsync();
        await _socket.DisposeAsync();
        await _web.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task A_due_drill_comes_by_direct_message_is_answered_in_its_form_judged_once_and_moves_the_plan_up_the_ladder()
    {
        var sent = await DueDrillSentAsync();
        var button = ButtonValue(sent);
        var drillId = button.Split('|')[1];

        var form = await OpenFormAsync(sent, Ada);
        Assert.Equal("mb:drill-answer-modal", (string?)form["callback_id"]);
        await _socket.SendEnvelopeAsync("interactive", SlackEvents.FormSubmission(form, Ada, Answer), acceptsResponsePayload: true);
        await Poll.UntilAsync(() => RepliedTo(Ada, DrillAnswers.Taken), "the answer to be taken");
        await _socket.SendEnvelopeAsync("interactive", SlackEvents.FormSubmission(form, Ada, Answer), acceptsResponsePayload: true);
        await Poll.UntilAsync(() => RepliedTo(Ada, DrillAnswers.TakenBefore), "the retried submission to be told it was taken before");

        var feedback = await Poll.ForAsync(
            () => _web.Messages(AdaDirect).FirstOrDefault(m => m.Text.Contains($"Drill on {Dimension}", StringComparison.Ordinal)),
            "the drill's feedback by direct message",
            TimeSpan.FromSeconds(30));
        var store = _bot.Services.GetRequiredService<IDrillStore>();
        var plan = await Poll.ForAsync(async () => await store.FindAsync(AdaId, default) is { Answers.Count: > 0 } p ? p : null, "the judged answer in the plan");

        var judged = Assert.Single(plan.Answers);
        Assert.Equal(drillId, judged.DrillId);
        Assert.Contains($"{judged.Total:0.0} of 4", feedback.Text, StringComparison.Ordinal);
        var drilled = plan.Find(Dimension)!;
        var sentAt = plan.Sent.Single(s => s.DrillId == drillId).SentAt;
        Assert.Equal(judged.Total < DrillSchedule.WeakBelow ? 0 : 1, drilled.Step);
        Assert.Equal(sentAt + DrillSchedule.Intervals[drilled.Step], drilled.DueAt);
        Assert.Equal(2, _web.Messages(AdaDirect).Count);

        // The text goes once the feedback is sent, a step after the message this test saw.
        await Poll.UntilAsync(async () => await store.FindAnswerAsync(AdaId, drillId, default) is null, "the drill answer's text to be dropped after its feedback");
        Assert.Empty(_web.Violations);
        Assert.DoesNotContain(_logs.Entries, l => l.Contains(BotToken, StringComparison.Ordinal) || l.Contains("FlashAttention", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Someone_else_pressing_or_forging_a_candidates_drill_button_is_refused_and_nothing_is_recorded()
    {
        var sent = await DueDrillSentAsync();
        var drillId = ButtonValue(sent).Split('|')[1];

        var trigger = SlackEvents.NextId("trigger-");
        await ClickAsync(sent, Bob, trigger);
        await Poll.UntilAsync(() => RepliedTo(Bob, DrillAnswers.NotYours), "the stranger's press to be refused");
        Assert.DoesNotContain(_web.Views, v => v.TriggerId == trigger);

        var forged = new JsonObject { ["callback_id"] = "mb:drill-answer-modal", ["private_metadata"] = $"{AdaDirect}|{Ada}|{drillId}" };
        await _socket.SendEnvelopeAsync("interactive", SlackEvents.FormSubmission(forged, Bob, Answer), acceptsResponsePayload: true);
        await Poll.UntilAsync(() => _web.Ephemerals.Count(e => e.User == Bob && e.Text == DrillAnswers.NotYours) == 2, "the forged form to be refused");
        Assert.Null(await _bot.Services.GetRequiredService<IDrillStore>().FindAnswerAsync(AdaId, drillId, default));
    }

    [Fact]
    public async Task A_drill_sent_again_by_a_replica_taking_over_is_posted_once()
    {
        var platform = _bot.Services.GetRequiredService<IDrillPlatform>();
        var drill = new DrillMessage(AdaId, "coverage@1764500400000", Dimension, "What limits attention on long inputs?");

        await platform.SendAsync(drill, default);
        await platform.SendAsync(drill, default);

        Assert.Single(_web.Messages(AdaDirect));
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_drill_slack_took_from_a_replica_that_died_before_recording_it_is_found_in_the_conversation_by_the_next_and_not_posted_again()
    {
        await DrillFallsDueAsync();
        _ledger.DieBeforeRecordingNext();
        var store = _bot.Services.GetRequiredService<IDrillStore>();
        var scheduler = _bot.Services.GetRequiredService<DrillScheduler>();

        // The bot's own scheduler runs too, on the same clock: whichever replica claims the drill dies.
        var posted = await Poll.ForAsync(
            async () =>
            {
                await scheduler.RunDueAsync(default);
                return _web.Messages(AdaDirect) is [var first, ..] ? first : null;
            },
            "the drill by direct message");

        // Slack shows the post before its poster hears back, and a poster still alive renews its claim when the clock
        // moves: time moves on only once the poster has died.
        await _logs.WaitForAsync("A drill failed with OperationCanceledException");
        Assert.Empty((await store.FindAsync(AdaId, default))!.Sent);

        _clock.Advance(_bot.Services.GetRequiredService<IOptions<DrillOptions>>().Value.Lease + TimeSpan.FromSeconds(1));
        var next = ActivatorUtilities.CreateInstance<DrillScheduler>(_bot.Services, _clock);
        await Poll.UntilAsync(
            async () =>
            {
                await next.RunDueAsync(default);
                return (await store.FindAsync(AdaId, default))!.Sent.Count > 0;
            },
            "a replica to take the drill over once its claim lapsed and save the plan");

        Assert.Equal(posted.Ts, Assert.Single(_web.Messages(AdaDirect)).Ts);
        Assert.Equal(ButtonValue(posted).Split('|')[1], Assert.Single((await store.FindAsync(AdaId, default))!.Sent).DrillId);
        Assert.Contains(_web.RequestLog, r => r.Method == "conversations.history" && r.Status == 200);
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task Feedback_slack_took_from_a_worker_that_died_before_recording_it_is_found_in_the_conversation_when_sent_again_and_not_posted_again()
    {
        var platform = _bot.Services.GetRequiredService<IDrillPlatform>();
        var feedback = new DrillFeedbackMessage(AdaId, "coverage@1764500400000", "Drill on coverage: 3.5 of 4 (it comes back later than last time).");
        _ledger.DieBeforeRecordingNext();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => platform.SendFeedbackAsync(feedback, default));
        Assert.Single(_web.Messages(AdaDirect));

        _clock.Advance(_ledger.Lease + TimeSpan.FromSeconds(1));
        await platform.SendFeedbackAsync(feedback, default);
        await platform.SendFeedbackAsync(feedback, default);

        Assert.Contains("3.5 of 4", Assert.Single(_web.Messages(AdaDirect)).Text, StringComparison.Ordinal);
        Assert.Single(_web.RequestLog, r => r.Method == "conversations.history" && r.Status == 200);
        Assert.Empty(_web.Violations);
    }

    /// <summary>A candidate with drills on whose drill falls due now.</summary>
    private async Task DrillFallsDueAsync()
    {
        var now = _clock.GetUtcNow();
        var plan = DrillPlan.New(AdaId) with { On = true, Dimensions = [new DrilledDimension(Dimension, 0, now + TimeSpan.FromMinutes(1))] };
        Assert.True(await _bot.Services.GetRequiredService<IDrillStore>().SaveAsync(plan, 0, now + TimeSpan.FromMinutes(1), default));
        _clock.Advance(TimeSpan.FromMinutes(2));
    }

    private async Task<RecordedMessage> DueDrillSentAsync()
    {
        await DrillFallsDueAsync();
        var scheduler = _bot.Services.GetRequiredService<DrillScheduler>();
        var sent = await Poll.ForAsync(
            async () =>
            {
                await scheduler.RunDueAsync(default);
                return _web.Messages(AdaDirect) is [var first, ..] ? first : null;
            },
            "the drill by direct message");
        Assert.Contains(DrillQuestions.Framing, sent.Blocks![0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        // The bot's own scheduler may have sent it, and it notes the drill in the plan only after the send.
        await Poll.UntilAsync(async () => (await _bot.Services.GetRequiredService<IDrillStore>().FindAsync(AdaId, default))?.Sent.Count > 0, "the sent drill in the plan");
        return sent;
    }

    private async Task ClickAsync(RecordedMessage post, string user, string trigger)
    {
        _web.RegisterTrigger(trigger);
        var click = SlackEvents.Click(AdaDirect, post.Ts, post.Ts, user, "mb:drill-answer", ButtonValue(post), trigger);
        ((JsonObject)click["container"]!).Remove("thread_ts");
        await _socket.SendEnvelopeAsync("interactive", click);
    }

    private async Task<JsonObject> OpenFormAsync(RecordedMessage post, string user)
    {
        var trigger = SlackEvents.NextId("trigger-");
        await ClickAsync(post, user, trigger);
        await Poll.UntilAsync(() => _web.Views.Any(v => v.TriggerId == trigger), $"the drill's form to open for {user}");
        return _web.Views.Single(v => v.TriggerId == trigger).View;
    }

    private bool RepliedTo(string user, string text) =>
        _web.Ephemerals.Any(e => e.User == user && (e.Text ?? string.Empty).Contains(text, StringComparison.Ordinal));

    private static string ButtonValue(RecordedMessage message) =>
        message.Blocks!.AsArray().SelectMany(block => block?["elements"]?.AsArray() ?? [])
            .Single(element => (string?)element?["action_id"] == "mb:drill-answer")!["value"]!.GetValue<string>();
}
