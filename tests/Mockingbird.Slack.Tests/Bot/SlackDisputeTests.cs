using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Chat;
using Mockingbird.Chat.Threads;
using Mockingbird.Disputes;
using Mockingbird.Host.Cli;
using Mockingbird.Interview.Sessions;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.SocketMode;
using Mockingbird.Slack.Tests.EndToEnd;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.StudyGroups;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Slack.Tests.Bot;

/// <summary>Contestable scores through the fake Slack: the I-disagree button, its modal, the blind ballots and the outcome by direct message.</summary>
public sealed class SlackDisputeTests : IAsyncLifetime
{
    private const string BotToken = "xoxb-dispute-tests";
    private const string Channel = SlackEvents.Channel;
    private const string Candidate = SlackEvents.Candidate;
    private const string Reason = "I named the cache and drift monitoring; the score ignores both.";

    private const string Answer =
        "I would clarify the requirements and scope first, then look at the data, the labels and the model, serve it behind a cache " +
        "and monitor drift, latency and cost, with an offline evaluation and an A/B test, weighing the trade-offs. Ask <@" + Candidate + ">.";

    private const string OtherTeam = "T0OTHER";

    private static readonly string[] Voters = ["U0VOTER1", "U0VOTER2", "U0VOTER3"];

    private FakeSlackWebApi _web = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _web = await FakeSlackWebApi.StartAsync(BotToken, "xapp-dispute-tests");
        _services = BuildServices();
    }

    private ServiceProvider BuildServices(Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = BotToken,
            ["Slack:AppToken"] = "xapp-dispute-tests",
            ["Slack:ApiBaseUrl"] = _web.ApiBaseUrl.ToString(),
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInterviewCore(configuration, JudgingMode.Queued);
        services.AddSlackBot();
        services.AddStudyGroups();
        services.AddInMemoryStudyGroupStore();
        services.AddDisputes();
        services.AddSingleton<JudgingWorker>();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _web.DisposeAsync();
    }

    [Fact]
    public async Task The_candidates_I_disagree_opens_a_modal_naming_the_dimensions_whose_submission_files_a_dispute_that_three_voters_settle()
    {
        var (parent, feedback, value) = await JudgedFeedbackAsync();

        await SendAsync("interactive", SlackEvents.Click(Channel, parent, feedback.Ts, SlackEvents.Bystander, "mb:disagree", value, RegisteredTrigger()));
        Assert.Empty(_web.Views);
        Assert.Contains(_web.Ephemerals, e => e.User == SlackEvents.Bystander && e.Text == DisputeCommands.NotDisputable);

        var trigger = RegisteredTrigger();
        await SendAsync("interactive", SlackEvents.Click(Channel, parent, feedback.Ts, Candidate, "mb:disagree", value, trigger));
        var view = _web.Views.Single(v => v.TriggerId == trigger).View;
        var label = view["blocks"]![0]!["label"]!["text"]!.GetValue<string>();
        var dimension = label[(label.IndexOf("One of: ", StringComparison.Ordinal) + "One of: ".Length)..].Split(", ")[0];

        await SendAsync("interactive", SlackEvents.DisagreeSubmission(view, Candidate, "charisma", Reason));
        var refused = _web.Ephemerals[^1];
        Assert.Contains("was not scored on 'charisma'", refused.Text, StringComparison.Ordinal);
        Assert.Contains(Reason, refused.Text, StringComparison.Ordinal);

        await SendAsync("interactive", SlackEvents.DisagreeSubmission(view, Candidate, dimension, Reason));
        Assert.Contains($"dispute on {dimension} is filed", _web.Ephemerals[^1].Text, StringComparison.Ordinal);
        Assert.Equal(parent, _web.Ephemerals[^1].ThreadTs);

        foreach (var voter in Voters)
        {
            await SendAsync("slash_commands", SlackEvents.Command("disputes on", voter));
            await SendAsync("slash_commands", SlackEvents.Command("disputes vote", voter));
            var ballot = _web.Ephemerals.Where(e => e.User == voter && e.Blocks is not null).Last();
            var shown = string.Concat(_web.Ephemerals.Where(e => e.User == voter).Select(e => e.Text));
            Assert.Contains("Blind ballot", shown, StringComparison.Ordinal);
            Assert.DoesNotContain(Candidate, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(Reason, shown, StringComparison.Ordinal);
            var scores = ballot.Blocks!.SelectMany(b => b?["elements"]?.AsArray() ?? []).Select(e => (Action: e!["action_id"]!.GetValue<string>(), Dispute: e["value"]!.GetValue<string>())).ToList();
            Assert.Equal(["mb:vote:1", "mb:vote:2", "mb:vote:3", "mb:vote:4"], scores.Select(s => s.Action));

            await SendAsync("interactive", SlackEvents.Click(Channel, parent, "1800000000.000200", voter, scores[3].Action, scores[3].Dispute, RegisteredTrigger()));
        }

        Assert.Contains(_web.Ephemerals, e => e.User == Voters[2] && (e.Text ?? string.Empty).Contains("settled this dispute", StringComparison.Ordinal));
        var outcome = Assert.Single(_web.Messages("D" + Candidate)).Text;
        var settled = Assert.Single(await _services.GetRequiredService<IDisputeStore>().SettledAsync(default));

        // Upheld or not turns on the judge's score for the dimension, which depends on the question drawn.
        Assert.Contains(settled.Upheld ? $"Your dispute on {dimension} is upheld" : $"The judge's score on {dimension} stands", outcome, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"the judge gave {settled.Judge.Score}, your peers' blind vote gave 4"), outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_answer_of_a_finished_interview_opens_the_dispute_form_from_the_feedback_posted_with_the_scorecard()
    {
        var (parent, _, _) = await JudgedFeedbackAsync();
        await SendAsync("events_api", SlackEvents.Reply(Channel, parent, Candidate, "Second answer: I would shard the index, cache hot queries and watch drift."));
        await SendAsync("slash_commands", SlackEvents.Command("end"));
        await JudgeAllAsync();
        var last = _web.Thread(Channel, parent).Last(m => (m.Blocks?.ToJsonString() ?? string.Empty).Contains("mb:disagree", StringComparison.Ordinal));
        var value = DisagreeValue(last);

        var trigger = RegisteredTrigger();
        await SendAsync("interactive", SlackEvents.Click(Channel, parent, last.Ts, Candidate, "mb:disagree", value, trigger));
        var view = _web.Views.Single(v => v.TriggerId == trigger).View;
        var label = view["blocks"]![0]!["label"]!["text"]!.GetValue<string>();
        var dimension = label[(label.IndexOf("One of: ", StringComparison.Ordinal) + "One of: ".Length)..].Split(", ")[0];
        await SendAsync("interactive", SlackEvents.DisagreeSubmission(view, Candidate, dimension, Reason));

        Assert.Contains(_web.Thread(Channel, parent), m => (m.Text ?? string.Empty).Contains("Scorecard", StringComparison.Ordinal));
        Assert.Contains($"dispute on {dimension} is filed", _web.Ephemerals[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outcome_whose_direct_message_is_refused_is_shown_in_the_candidates_next_disputes_list_once_and_no_message_follows()
    {
        var (parent, feedback, value) = await JudgedFeedbackAsync();
        var trigger = RegisteredTrigger();
        await SendAsync("interactive", SlackEvents.Click(Channel, parent, feedback.Ts, Candidate, "mb:disagree", value, trigger));
        var view = _web.Views.Single(v => v.TriggerId == trigger).View;
        var label = view["blocks"]![0]!["label"]!["text"]!.GetValue<string>();
        var dimension = label[(label.IndexOf("One of: ", StringComparison.Ordinal) + "One of: ".Length)..].Split(", ")[0];
        await SendAsync("interactive", SlackEvents.DisagreeSubmission(view, Candidate, dimension, Reason));
        _web.RefuseNext("conversations.open", "cannot_dm_bot");

        foreach (var voter in Voters)
        {
            await SendAsync("slash_commands", SlackEvents.Command("disputes on", voter));
            await SendAsync("slash_commands", SlackEvents.Command("disputes vote", voter));
            var ballot = _web.Ephemerals.Where(e => e.User == voter && e.Blocks is not null).Last();
            var four = ballot.Blocks!.SelectMany(b => b?["elements"]?.AsArray() ?? []).Last()!;
            await SendAsync("interactive", SlackEvents.Click(Channel, parent, "1800000000.000200", voter, four["action_id"]!.GetValue<string>(), four["value"]!.GetValue<string>(), RegisteredTrigger()));
        }

        Assert.Empty(_web.Messages("D" + Candidate));
        await SendAsync("slash_commands", SlackEvents.Command("disputes"));
        var listed = _web.Ephemerals.Last(e => e.User == Candidate).Text ?? string.Empty;
        // Upheld or not depends on the judge's score for the question drawn; the peers' vote is the test's own.
        Assert.Contains("Your disputes:\n- ", listed, StringComparison.Ordinal);
        Assert.Contains($" on {dimension} ", listed, StringComparison.Ordinal);
        Assert.Contains("peers' blind vote gave 4", listed, StringComparison.Ordinal);
        Assert.All(Voters, v => Assert.DoesNotContain(v, listed, StringComparison.Ordinal));

        Assert.Empty(await _services.GetRequiredService<IDisputeStore>().RaisedByAsync(SlackInterviewBot.CandidateOf(Candidate), default));
        Assert.Equal(0, await _services.GetRequiredService<DisputeOutcomeDelivery>().RunDueAsync(default));
        await SendAsync("slash_commands", SlackEvents.Command("disputes"));
        Assert.DoesNotContain("blind vote gave", _web.Ephemerals.Last(e => e.User == Candidate).Text ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(_web.Messages("D" + Candidate));
        Assert.Single(await _services.GetRequiredService<IDisputeStore>().SettledAsync(default));
    }

    [Fact]
    public async Task The_I_disagree_button_opens_its_modal_within_the_read_budget_when_the_store_neither_answers_nor_heeds_its_token()
    {
        var clock = new TimerWatchingClock();
        var stalled = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var threads = new Mock<IInterviewThreads>();
        threads.Setup(t => t.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(stalled.Task);
        await using var services = BuildServices(services => services
            .Replace(ServiceDescriptor.Singleton<TimeProvider>(clock))
            .Replace(ServiceDescriptor.Singleton(threads.Object)));
        var trigger = RegisteredTrigger();
        var value = new DisputedFeedback(1, "design-feature-store", "v1").Encode();
        var click = SlackEvents.Click(Channel, "1700000000.000100", "1700000000.000200", Candidate, "mb:disagree", value, trigger);

        var receipt = await services.GetRequiredService<ISlackEnvelopeHandler>().ReceiveAsync(
            new SlackEnvelope(SlackEvents.NextId("env-"), "interactive", JsonSerializer.SerializeToElement(click), false, null, null), default);
        var clicking = receipt.Then!(default);
        await clock.WaitForTimerAsync(FormReads.Budget);
        clock.Advance(FormReads.Budget);
        await clicking.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        stalled.SetException(new TimeoutException("the store answered long after"));

        var view = _web.Views.Single(v => v.TriggerId == trigger).View;
        Assert.Equal(SlackActions.DisagreeModal, (string?)view["callback_id"]);
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_member_of_another_workspace_who_opts_in_there_is_shown_nothing_of_this_workspaces_dispute_and_their_vote_on_it_is_refused()
    {
        var (parent, feedback, value) = await JudgedFeedbackAsync();
        var trigger = RegisteredTrigger();
        await SendAsync("interactive", SlackEvents.Click(Channel, parent, feedback.Ts, Candidate, "mb:disagree", value, trigger));
        var view = _web.Views.Single(v => v.TriggerId == trigger).View;
        var label = view["blocks"]![0]!["label"]!["text"]!.GetValue<string>();
        await SendAsync("interactive", SlackEvents.DisagreeSubmission(view, Candidate, label[(label.IndexOf("One of: ", StringComparison.Ordinal) + "One of: ".Length)..].Split(", ")[0], Reason));
        Assert.Contains("people in this server or workspace who opted in here will score", _web.Ephemerals[^1].Text, StringComparison.Ordinal);
        var filed = Assert.Single(await _services.GetRequiredService<IDisputeStore>().RaisedByAsync(SlackInterviewBot.CandidateOf(Candidate), default)).Dispute;
        var stranger = Voters[0];

        await SendAsync("slash_commands", InTeam(SlackEvents.Command("disputes on", stranger), OtherTeam));
        await SendAsync("slash_commands", InTeam(SlackEvents.Command("disputes vote", stranger), OtherTeam));
        var ballot = _web.Ephemerals[^1];
        var click = SlackEvents.Click(Channel, parent, "1800000000.000200", stranger, "mb:vote:4", filed.Id, RegisteredTrigger());
        click["team"]!["id"] = OtherTeam;
        await SendAsync("interactive", click);

        Assert.Equal($"slack:{SlackEvents.Team}", filed.Place);
        Assert.Contains("No disputed answer is waiting", ballot.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(_web.Ephemerals, e => e.User == stranger && e.Blocks is not null);
        Assert.Contains("filed in another server or workspace", _web.Ephemerals[^1].Text, StringComparison.Ordinal);
        Assert.Equal(0, (await _services.GetRequiredService<IDisputeStore>().FindAsync(filed.Id, default))!.Votes);
        await SendAsync("slash_commands", SlackEvents.Command("disputes vote", stranger));
        Assert.Contains(DisputeDesk.NotOptedIn, _web.Ephemerals[^1].Text, StringComparison.Ordinal);
    }

    private string RegisteredTrigger()
    {
        var trigger = SlackEvents.NextId("trigger-");
        _web.RegisterTrigger(trigger);
        return trigger;
    }

    private async Task<(string Parent, RecordedMessage Feedback, string Value)> JudgedFeedbackAsync()
    {
        await SendAsync("slash_commands", SlackEvents.Command("start system-design 2"));
        var parent = Assert.Single(_web.Messages(Channel), m => m.ThreadTs is null).Ts;
        await SendAsync("events_api", SlackEvents.Reply(Channel, parent, Candidate, Answer));
        await JudgeAllAsync();

        var feedback = Assert.Single(_web.Thread(Channel, parent), m => (m.Blocks?.ToJsonString() ?? string.Empty).Contains("mb:disagree", StringComparison.Ordinal));
        return (parent, feedback, DisagreeValue(feedback));
    }

    private static string DisagreeValue(RecordedMessage feedback) =>
        feedback.Blocks!.AsArray().SelectMany(block => block?["elements"]?.AsArray() ?? [])
            .Single(element => (string?)element?["action_id"] == "mb:disagree")!["value"]!.GetValue<string>();

    private async Task JudgeAllAsync()
    {
        var worker = _services.GetRequiredService<JudgingWorker>();
        while (await worker.RunOnceAsync("test-worker", 16, default) > 0)
        {
        }
    }

    /// <summary>The same slash command as it arrives from another workspace.</summary>
    private static JsonObject InTeam(JsonObject command, string team)
    {
        command["team_id"] = team;
        return command;
    }

    private async Task SendAsync(string type, JsonObject payload)
    {
        var receipt = await _services.GetRequiredService<ISlackEnvelopeHandler>().ReceiveAsync(new SlackEnvelope(SlackEvents.NextId("env-"), type, JsonSerializer.SerializeToElement(payload), false, null, null), default);
        Assert.Equal(SlackReceiptOutcome.Accepted, receipt.Outcome);
        if (receipt.Then is { } then)
        {
            await then(default);
        }

        Assert.Empty(_web.Violations);
    }
}
