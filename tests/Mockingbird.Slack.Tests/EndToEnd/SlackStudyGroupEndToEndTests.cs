using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Host.Bot;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.Slack.Tests.SocketMode;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.EndToEnd;

/// <summary>
/// A study group's whole day on Slack, the bot composed as the host composes it (offline judge, judging workers)
/// against the fake Slack over Socket Mode and the Web API. The study group's clock is a fake one the test moves,
/// and the scheduler is ticked by hand; everything else runs on real time.
/// </summary>
public sealed class SlackStudyGroupEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string BotToken = "xoxb-daily-end-to-end";
    private const string AppToken = "xapp-daily-end-to-end";
    private const string Study = "C0STUDYDAY";
    private const string Admin = "U0ADMIN";
    private const string Ada = "U0ADA";
    private const string Bob = "U0BOB";

    private const string AdaAnswer =
        "I would clarify requirements and scope first, then design the data pipeline and labels, pick a two-stage model with retrieval and ranking, " +
        "serve it behind a cache and a feature store, and monitor drift, latency and cost with an offline evaluation and an A/B test.";

    private const string BobAnswer = "Start from the metric, build a baseline, evaluate offline, then A/B test and monitor drift and cost.";

    private readonly RecordingLoggerProvider _logs = new();
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private FakeSlackWebApi _web = null!;
    private FakeSlackSocket _socket = null!;
    private WebApplication? _bot;

    public async Task InitializeAsync()
    {
        _web = await FakeSlackWebApi.StartAsync(BotToken, AppToken);
        _socket = await FakeSlackSocket.StartAsync(TimeProvider.System);
        _web.SocketUrl = () => _socket.NextConnectionUrl().ToString();
        _web.AddUser(Admin, admin: true);
        _web.AddUser(Ada);
        _web.AddUser(Bob);
        _web.AddChannel(Study, Admin, [Admin, Ada, Bob]);
    }

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.StopAsync();
            await _bot.DisposeAsync();
        }

        await _socket.DisposeAsync();
        await _web.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task A_study_groups_day_is_set_posted_once_answered_blind_judged_and_revealed_with_its_board()
    {
        await StartBotAsync();
        await _socket.WaitForLiveConnectionsAsync(2, TimeSpan.FromSeconds(10));
        var slot = _clock.GetUtcNow().AddMinutes(5);
        var set = $"daily set <#{Study}|study> {Hours(slot)} UTC hours=1";

        // A member who is neither admin nor the channel's creator is refused; the admin sets it.
        await CommandAsync(set, Bob);
        await Poll.UntilAsync(() => EphemeralFor(Bob, "Only people who can manage"), "the refusal of a plain member");
        await CommandAsync(set, Admin);
        await Poll.UntilAsync(() => EphemeralFor(Admin, $"Daily question set for <#{Study}>"), "the admin's daily question to be set");

        // The slot comes: ticks post it once, however often they run.
        _clock.Advance(TimeSpan.FromMinutes(6));
        await TickAsync();
        await TickAsync();
        var post = Assert.Single(_web.Messages(Study), m => m.ThreadTs is null);
        var roundId = ButtonValue(post, "mb:daily-answer");
        var store = _bot!.Services.GetRequiredService<IStudyGroupStore>();
        await Poll.UntilAsync(async () => (await store.FindRoundAsync(roundId, default))?.State == RoundState.Open, "the round to open once its post exists");

        // Two members answer through the modal; the post names them and shows nothing of what they wrote.
        await AnswerAsync(post, Ada, AdaAnswer);
        await Poll.UntilAsync(() => EphemeralFor(Ada, "Your answer is in"), "Ada's answer to be taken");
        await AnswerAsync(post, Bob, BobAnswer);
        await Poll.UntilAsync(() => EphemeralFor(Bob, "Your answer is in"), "Bob's answer to be taken");
        await Poll.UntilAsync(() => _web.Updates.Any(u => Json(u.Blocks).Contains($"<@{Ada}>, <@{Bob}>", StringComparison.Ordinal)), "the tally to name both");
        Assert.All(_web.Updates, u => Assert.DoesNotContain("two-stage", Json(u.Blocks), StringComparison.Ordinal));
        Assert.All(_web.Updates, u => Assert.DoesNotContain("baseline", Json(u.Blocks), StringComparison.Ordinal));

        // Pressing Answer again opens the form with the answer so far.
        var revise = await OpenFormAsync(post, Ada);
        Assert.Contains(revise["blocks"]!.AsArray(), b => ((string?)b?["element"]?["initial_value"] ?? string.Empty).Contains("two-stage model", StringComparison.Ordinal));
        Assert.Equal(roundId, (string?)revise["private_metadata"]);

        // The deadline passes: the round closes, its button goes, and a late click is told so.
        _clock.Advance(TimeSpan.FromHours(1));
        await TickAsync();
        await Poll.UntilAsync(() => _web.Updates.Any(u => Json(u.Blocks).Contains("*Closed*", StringComparison.Ordinal)), "the post to say the round closed");
        Assert.DoesNotContain(_web.Updates[^1].Blocks!, b => (string?)b?["type"] == "actions");
        await ClickAsync(post, Bob, SlackEvents.NextId("trigger-"));
        await Poll.UntilAsync(() => EphemeralFor(Bob, "This round closed"), "the late click to be told the round closed");

        // The judging workers judge both answers and the thread gets the reveal.
        await Poll.UntilAsync(() => InThread(post, "Today's board"), "the reveal's board", TimeSpan.FromSeconds(30));
        await TickAsync();
        Assert.True(InThread(post, "The reveal"));
        Assert.True(InThread(post, "What a strong answer covers"));
        Assert.Equal(1, CountInThread(post, $"Feedback for <@{Ada}>"));
        Assert.Equal(1, CountInThread(post, $"Feedback for <@{Bob}>"));
        Assert.Equal(1, CountInThread(post, "Today's board"));
        Assert.Single(_web.Messages(Study), m => m.ThreadTs is null);
        Assert.Empty(_web.Violations);
        Assert.Empty(_socket.Violations);
    }

    private async Task StartBotAsync()
    {
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

            // The study group runs on the test's clock; the scheduler's own loop is off, and the test ticks it.
            builder.Services.RunStudyGroupsOn(_clock);
        });
        await _bot.StartAsync();
    }

    private Task TickAsync() => _bot!.Services.GetRequiredService<DailyScheduler>().TickAsync(default);

    private async Task CommandAsync(string text, string user)
    {
        var command = SlackEvents.Command(text, user);
        command["channel_id"] = Study;
        await _socket.SendEnvelopeAsync("slash_commands", command, acceptsResponsePayload: true);
    }

    private async Task ClickAsync(RecordedMessage post, string user, string trigger)
    {
        _web.RegisterTrigger(trigger);
        var click = SlackEvents.Click(Study, post.Ts, post.Ts, user, "mb:daily-answer", ButtonValue(post, "mb:daily-answer"), trigger);

        // A button on a message at the top of a channel comes without a thread.
        ((JsonObject)click["container"]!).Remove("thread_ts");
        await _socket.SendEnvelopeAsync("interactive", click);
    }

    private async Task<JsonObject> OpenFormAsync(RecordedMessage post, string user)
    {
        var trigger = SlackEvents.NextId("trigger-");
        await ClickAsync(post, user, trigger);
        await Poll.UntilAsync(() => _web.Views.Any(v => v.TriggerId == trigger), $"the answer form to open for {user}");
        return _web.Views.Single(v => v.TriggerId == trigger).View;
    }

    private async Task AnswerAsync(RecordedMessage post, string user, string answer)
    {
        var view = await OpenFormAsync(post, user);
        await _socket.SendEnvelopeAsync("interactive", SlackEvents.FormSubmission(view, user, answer), acceptsResponsePayload: true);
    }

    private bool EphemeralFor(string user, string text) =>
        _web.Ephemerals.Any(e => e.User == user && e.Channel == Study && (e.Text ?? string.Empty).Contains(text, StringComparison.Ordinal));

    private bool InThread(RecordedMessage post, string text) => CountInThread(post, text) > 0;

    private int CountInThread(RecordedMessage post, string text) =>
        _web.Thread(Study, post.Ts).Count(m => Json(m.Blocks).Contains(text, StringComparison.Ordinal));

    private static string ButtonValue(RecordedMessage message, string actionId) =>
        message.Blocks!.AsArray().SelectMany(block => block?["elements"]?.AsArray() ?? [])
            .Single(element => (string?)element?["action_id"] == actionId)!["value"]!.GetValue<string>();

    private static string Json(JsonNode? node) =>
        node?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? string.Empty;

    private static string Hours(DateTimeOffset at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);
}
