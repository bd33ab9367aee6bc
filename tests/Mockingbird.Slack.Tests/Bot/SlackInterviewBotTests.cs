using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Stores;
using Mockingbird.Host.Cli;
using Mockingbird.Interview.Sessions;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.SocketMode;
using Mockingbird.Slack.Tests.EndToEnd;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.StudyGroups;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.Bot;

/// <summary>
/// The bot's mapping of Slack events onto the interview, driven directly (no socket) against the fake Web API with
/// the in-memory store and queued judging, as in the bot host.
/// </summary>
public sealed class SlackInterviewBotTests : IAsyncLifetime
{
    private const string BotToken = "xoxb-mapping-tests";
    private const string Channel = SlackEvents.Channel;
    private const string Candidate = SlackEvents.Candidate;

    private const string Answer =
        "I would clarify the requirements and scope first, then look at the data, the labels and the model, serve it behind a cache " +
        "and monitor drift, latency and cost, with an offline evaluation and an A/B test, weighing the trade-offs.";

    // The ledger keeps its own clock, so a test can let a dead poster's claim lapse without waiting for it. It starts at
    // the wall clock's now because a reclaiming poster looks in the thread from the first claim's time on, and the fake
    // Slack stamps messages by the wall clock; the bot stays on real time, as its per-channel pacing sleeps on it.
    private readonly FakeTimeProvider _ledgerTime = new(TimeProvider.System.GetUtcNow());
    private readonly DyingLedger _ledger;
    private FakeSlackWebApi _web = null!;
    private ServiceProvider _services = null!;

    public SlackInterviewBotTests() =>
        _ledger = new DyingLedger(new InMemoryDeliveryLedger(Microsoft.Extensions.Options.Options.Create(new SessionStoreOptions()), _ledgerTime));

    public async Task InitializeAsync()
    {
        _web = await FakeSlackWebApi.StartAsync(BotToken, "xapp-mapping-tests");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = BotToken,
            ["Slack:AppToken"] = "xapp-mapping-tests",
            ["Slack:ApiBaseUrl"] = _web.ApiBaseUrl.ToString(),
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInterviewCore(configuration, JudgingMode.Queued);
        services.AddSlackBot();
        services.AddStudyGroups();
        services.AddInMemoryStudyGroupStore();
        services.AddSingleton<JudgingWorker>();
        services.Replace(ServiceDescriptor.Singleton<IDeliveryLedger>(_ledger));
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _web.DisposeAsync();
    }

    private ISlackEnvelopeHandler Handler => _services.GetRequiredService<ISlackEnvelopeHandler>();

    [Fact]
    public async Task In_a_channel_the_bot_is_not_in_the_interview_moves_to_a_dm_with_the_candidate()
    {
        _web.ChannelsWithoutBot = new HashSet<string>(StringComparer.Ordinal) { Channel };

        await SendAsync("slash_commands", SlackEvents.Command("start theory 1"));

        var parent = Assert.Single(_web.AllMessages, m => m.ThreadTs is null && m.Text.StartsWith("Mock interview for", StringComparison.Ordinal));
        Assert.Equal("D" + Candidate, parent.Channel);
        Assert.Contains(_web.AllMessages, m => m.Channel == parent.Channel && m.ThreadTs is null && m.Text.Contains("ready in", StringComparison.Ordinal));
        Assert.Contains(_web.Thread(parent.Channel, parent.Ts), m => Blocks(m).Contains("Question 1 of 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Someone_elses_click_changes_nothing_and_they_are_told_privately()
    {
        var parent = await StartAsync();
        var before = _web.Thread(Channel, parent).Count;

        await SendAsync("interactive", SlackEvents.Click(Channel, parent, parent, SlackEvents.Bystander, "mb:skip", "1:", "trigger-x"));

        Assert.Equal(before, _web.Thread(Channel, parent).Count);
        Assert.Contains(_web.Ephemerals, e => e.User == SlackEvents.Bystander && (e.Text ?? string.Empty).Contains("someone else's interview", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_click_of_skip_does_not_skip_the_next_question_too()
    {
        var parent = await StartAsync("start theory 3");

        await SendAsync("interactive", SlackEvents.Click(Channel, parent, parent, Candidate, "mb:skip", "1:", "t1"));
        await SendAsync("interactive", SlackEvents.Click(Channel, parent, parent, Candidate, "mb:skip", "1:", "t2"));

        Assert.Contains(_web.Thread(Channel, parent), m => Blocks(m).Contains("Question 2 of 3", StringComparison.Ordinal));
        Assert.DoesNotContain(_web.Thread(Channel, parent), m => Blocks(m).Contains("Question 3 of 3", StringComparison.Ordinal));
        Assert.Single(_web.Ephemerals, e => (e.Text ?? string.Empty).Contains("earlier question", StringComparison.Ordinal));
        Assert.DoesNotContain(_web.Thread(Channel, parent), m => Blocks(m).Contains("earlier question", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_form_that_does_not_say_which_question_it_answers_is_refused_and_its_text_handed_back()
    {
        var parent = await StartAsync("start theory 2");
        var before = _web.Thread(Channel, parent).Count;
        var view = new JsonObject { ["callback_id"] = "mb:answer-modal", ["private_metadata"] = $"{Channel}/{parent}|question-one" };

        await SendAsync("interactive", SlackEvents.FormSubmission(view, Candidate, Answer));
        await JudgeEverythingAsync();

        Assert.Equal(before, _web.Thread(Channel, parent).Count);
        var reply = Assert.Single(_web.Ephemerals, e => (e.Text ?? string.Empty).Contains("does not say which question", StringComparison.Ordinal));
        Assert.Equal(parent, reply.ThreadTs);
        Assert.Contains(Answer, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_double_click_on_the_hint_button_shows_one_hint_and_the_next_comes_from_the_button_under_it()
    {
        var parent = await StartAsync();
        var question = _web.Thread(Channel, parent).Last(m => Blocks(m).Contains("Question 1 of 1", StringComparison.Ordinal));
        var hintValue = ButtonValue(question, "mb:hint");

        await SendAsync("interactive", SlackEvents.Click(Channel, parent, question.Ts, Candidate, "mb:hint", hintValue, "t1"));
        await SendAsync("interactive", SlackEvents.Click(Channel, parent, question.Ts, Candidate, "mb:hint", hintValue, "t2"));

        Assert.Single(_web.Thread(Channel, parent), m => Blocks(m).Contains("Hint 1/2", StringComparison.Ordinal));
        Assert.DoesNotContain(_web.Thread(Channel, parent), m => Blocks(m).Contains("Hint 2/2", StringComparison.Ordinal));
        Assert.Contains(_web.Ephemerals, e => (e.Text ?? string.Empty).Contains("Hint 1 was shown already", StringComparison.Ordinal));

        var hint = _web.Thread(Channel, parent).Single(m => Blocks(m).Contains("Hint 1/2", StringComparison.Ordinal));
        await SendAsync("interactive", SlackEvents.Click(Channel, parent, hint.Ts, Candidate, "mb:hint", ButtonValue(hint, "mb:hint"), "t3"));
        Assert.Single(_web.Thread(Channel, parent), m => Blocks(m).Contains("Hint 2/2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_form_answer_of_ampersands_is_echoed_with_every_escape_whole()
    {
        var parent = await StartAsync();
        var question = _web.Thread(Channel, parent).Last(m => Blocks(m).Contains("Question 1 of 1", StringComparison.Ordinal));
        var trigger = SlackEvents.NextId("trigger-");
        _web.RegisterTrigger(trigger);
        await SendAsync("interactive", SlackEvents.Click(Channel, parent, question.Ts, Candidate, "mb:answer", ButtonValue(question, "mb:answer"), trigger));
        var view = _web.Views.Single(v => v.TriggerId == trigger).View;

        await SendAsync("interactive", SlackEvents.FormSubmission(view, Candidate, new string('&', 3000)));

        var echo = _web.Thread(Channel, parent).Where(m => m.Text == "Your answer")
            .SelectMany(m => m.Blocks!.AsArray()).Select(b => b!["text"]!["text"]!.GetValue<string>()).ToList();
        Assert.True(echo.Count > 1);
        Assert.All(echo, section => Assert.DoesNotContain("&", section.Replace("&amp;", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.All(echo, section => Assert.DoesNotContain("amp;", section.Replace("&amp;", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.Equal(3000, echo.Sum(section => SlackText.Plain(section).Count(c => c == '&')));
    }

    [Fact]
    public async Task Edits_bot_messages_and_top_level_messages_are_not_answers_but_a_reply_sent_to_the_channel_too_is()
    {
        var parent = await StartAsync();

        foreach (var ignored in new[] { "message_changed", "bot_message", "channel_join" })
        {
            var message = SlackEvents.Reply(Channel, parent, Candidate, Answer);
            message["event"]!["subtype"] = ignored;
            await SendAsync("events_api", message);
        }

        var topLevel = SlackEvents.Reply(Channel, parent, Candidate, Answer);
        topLevel["event"]!.AsObject().Remove("thread_ts");
        await SendAsync("events_api", topLevel);
        Assert.Empty(_web.Reactions);

        var broadcast = SlackEvents.Reply(Channel, parent, Candidate, Answer);
        broadcast["event"]!["subtype"] = "thread_broadcast";
        await SendAsync("events_api", broadcast);
        Assert.Equal((Channel, (string)broadcast["event"]!["ts"]!, "white_check_mark"), Assert.Single(_web.Reactions));
    }

    [Fact]
    public async Task A_reply_with_only_a_file_gets_advice_instead_of_silence()
    {
        var parent = await StartAsync();
        var message = SlackEvents.Reply(Channel, parent, Candidate, string.Empty);
        message["event"]!["subtype"] = "file_share";

        await SendAsync("events_api", message);

        Assert.Contains(_web.Thread(Channel, parent), m => Blocks(m).Contains("Answer in a form", StringComparison.Ordinal) && Blocks(m).Contains("files", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_delivery_repeated_by_a_second_worker_posts_each_message_once()
    {
        var parent = await StartAsync();
        var output = _services.GetRequiredService<IInterviewOutput>();
        IReadOnlyList<InterviewAction> actions = [new PostNotice("first part"), new PostQuestion(2, 3, Interview.Questions.Stage.Theory, "q", "What is attention?", null, false)];

        await output.DeliverAsync(SlackInterviewBot.CandidateOf(Candidate), actions, "session:7", default);
        var afterFirst = _web.Thread(Channel, parent).Count;
        await output.DeliverAsync(SlackInterviewBot.CandidateOf(Candidate), actions, "session:7", default);

        Assert.Equal(afterFirst, _web.Thread(Channel, parent).Count);
        Assert.Contains(_web.Thread(Channel, parent), m => Blocks(m).Contains("What is attention?", StringComparison.Ordinal));
        Assert.DoesNotContain(_web.RequestLog, r => r.Method == "conversations.replies");
    }

    [Fact]
    public async Task Every_part_posted_names_its_delivery_part_in_metadata_by_a_digest_that_does_not_name_the_candidate()
    {
        var parent = await StartAsync();
        var output = _services.GetRequiredService<IInterviewOutput>();

        await output.DeliverAsync(SlackInterviewBot.CandidateOf(Candidate), [new PostNotice("first part")], "session:8", default);

        var metadata = Assert.Single(_web.Thread(Channel, parent), m => m.Text.Contains("first part", StringComparison.Ordinal)).Body["metadata"]!;
        Assert.Equal("mockingbird_delivery", (string?)metadata["event_type"]);
        Assert.Equal(KeyDigest.Of("session:8#0"), (string?)metadata["event_payload"]!["part"]);
        Assert.All(_web.AllMessages.Where(m => m.ThreadTs is not null), m => Assert.DoesNotContain(Candidate, m.Body["metadata"]!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_that_dies_after_slack_took_a_post_but_before_recording_it_leaves_the_next_poster_to_find_it_in_the_thread()
    {
        var parent = await StartAsync();
        var output = _services.GetRequiredService<IInterviewOutput>();
        IReadOnlyList<InterviewAction> actions = [new PostNotice("Feedback: well reasoned"), new PostQuestion(2, 3, Interview.Questions.Stage.Theory, "q", "What is attention?", null, false)];
        _ledger.DieBeforeRecordingNext();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => output.DeliverAsync(SlackInterviewBot.CandidateOf(Candidate), actions, "session:9", default));
        _ledgerTime.Advance(_ledger.Lease + TimeSpan.FromMilliseconds(1));
        await output.DeliverAsync(SlackInterviewBot.CandidateOf(Candidate), actions, "session:9", default);

        Assert.Single(_web.Thread(Channel, parent), m => Blocks(m).Contains("well reasoned", StringComparison.Ordinal));
        Assert.Single(_web.Thread(Channel, parent), m => Blocks(m).Contains("What is attention?", StringComparison.Ordinal));
        Assert.Single(_web.RequestLog, r => r.Method == "conversations.replies" && r.Status == 200);
    }

    [Fact]
    public async Task A_post_that_never_reached_slack_is_posted_once_its_claim_lapses_after_a_look_in_the_thread()
    {
        var parent = await StartAsync();
        var output = _services.GetRequiredService<IInterviewOutput>();
        _web.FailNext(1, 502, "chat.postMessage");

        await Assert.ThrowsAsync<Mockingbird.Slack.Web.SlackApiException>(() => output.DeliverAsync(SlackInterviewBot.CandidateOf(Candidate), [new PostNotice("Feedback: lost on the way")], "session:10", default));
        Assert.DoesNotContain(_web.Thread(Channel, parent), m => m.Text.Contains("lost on the way", StringComparison.Ordinal));
        _ledgerTime.Advance(_ledger.Lease + TimeSpan.FromMilliseconds(1));
        await output.DeliverAsync(SlackInterviewBot.CandidateOf(Candidate), [new PostNotice("Feedback: lost on the way")], "session:10", default);

        Assert.Single(_web.Thread(Channel, parent), m => m.Text.Contains("lost on the way", StringComparison.Ordinal));
        Assert.Contains(_web.RequestLog, r => r.Method == "conversations.replies" && r.Status == 200);
    }

    [Fact]
    public async Task Ratings_count_once_per_person_for_the_judge_that_wrote_the_feedback_and_a_repeat_click_is_told_so()
    {
        var parent = await StartAsync();
        await SendAsync("events_api", SlackEvents.Reply(Channel, parent, Candidate, Answer));
        await JudgeEverythingAsync();
        var feedback = Assert.Single(_web.Thread(Channel, parent), m => Blocks(m).Contains("mb:rate-up", StringComparison.Ordinal));
        var carried = RatingValue(feedback);

        await SendAsync("interactive", SlackEvents.Click(Channel, parent, feedback.Ts, Candidate, "mb:rate-up", carried, "r1"));
        await SendAsync("interactive", SlackEvents.Click(Channel, parent, feedback.Ts, Candidate, "mb:rate-up", carried, "r2"));
        await SendAsync("interactive", SlackEvents.Click(Channel, parent, feedback.Ts, SlackEvents.Bystander, "mb:rate-down", carried, "r3"));

        Assert.Matches("^offline-rubric\\|[0-9a-f]{8}$", carried);
        Assert.Equal([new ArmRatings("offline-rubric", 1, 1)], await _services.GetRequiredService<IFeedbackRatings>().SummaryAsync(default));
        Assert.Contains(_web.Ephemerals, e => e.User == Candidate && (e.Text ?? string.Empty).Contains("already", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rating_on_feedback_older_than_the_rating_window_is_not_counted_and_says_so()
    {
        var parent = await StartAsync();
        var monthsAgo = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(-45).ToUnixTimeSeconds()}.000100");

        await SendAsync("interactive", SlackEvents.Click(Channel, parent, monthsAgo, Candidate, "mb:rate-up", "offline-rubric", "old"));

        Assert.Empty(await _services.GetRequiredService<IFeedbackRatings>().SummaryAsync(default));
        Assert.Contains(_web.Ephemerals, e => (e.Text ?? string.Empty).Contains("Ratings close 30 days after", StringComparison.Ordinal));
    }

    private async Task<string> StartAsync(string text = "start system-design 1")
    {
        await SendAsync("slash_commands", SlackEvents.Command(text));
        return Assert.Single(_web.Messages(Channel), m => m.ThreadTs is null).Ts;
    }

    private async Task SendAsync(string type, JsonObject payload)
    {
        var receipt = await Handler.ReceiveAsync(new SlackEnvelope(SlackEvents.NextId("env-"), type, JsonSerializer.SerializeToElement(payload), false, null, null), default);
        Assert.Equal(SlackReceiptOutcome.Accepted, receipt.Outcome);
        if (receipt.Then is { } then)
        {
            await then(default);
        }

        Assert.Empty(_web.Violations);
    }

    private async Task JudgeEverythingAsync()
    {
        var worker = _services.GetRequiredService<JudgingWorker>();
        while (await worker.RunOnceAsync("test-worker", 16, default) > 0)
        {
        }
    }

    private static string RatingValue(RecordedMessage message) => ButtonValue(message, "mb:rate-up");

    private static string ButtonValue(RecordedMessage message, string actionId) =>
        message.Blocks!.AsArray().SelectMany(block => block?["elements"]?.AsArray() ?? [])
            .Single(element => (string?)element?["action_id"] == actionId)!["value"]!.GetValue<string>();

    private static string Blocks(RecordedMessage message) => message.Blocks?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? message.Text;
}
