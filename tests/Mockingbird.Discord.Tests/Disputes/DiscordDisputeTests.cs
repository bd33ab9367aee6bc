using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat;
using Mockingbird.Chat.Threads;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Wire;
using Mockingbird.Disputes;
using Mockingbird.Evaluation;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Discord.Tests.Disputes;

/// <summary>
/// Contestable scores through the fake Discord: the I-disagree button on a feedback, its form, the blind ballots
/// study-group members ask for, the vote that settles, the candidate's outcome by direct message, and the settled case.
/// </summary>
public sealed class DiscordDisputeTests : IAsyncLifetime
{
    private const string Token = "bot-token-for-dispute-tests";
    private const string Candidate = DiscordEvents.Candidate;
    private const string Bystander = DiscordEvents.Bystander;
    private const string Reason = "My answer named the cache and the drift monitoring explicitly; the score ignores both.";

    private const string Answer =
        "I would clarify the requirements and scope first, then look at the data, the labels and the model, serve it behind a cache " +
        "and monitor drift, latency and cost, with an offline evaluation and an A/B test, weighing the trade-offs. Ask <@2000000000000000001> or ada.";

    private const string Here = $"discord:{DiscordEvents.Guild}";

    private const string OtherGuild = "1000000000000000999";

    private static readonly string[] Voters = ["2000000000000000011", "2000000000000000012", "2000000000000000013"];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    private FakeDiscordApi _api = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeDiscordApi.StartAsync(Token, DiscordEvents.ApplicationId, _clock);
        _services = DiscordBotServices.Build(_api, Token, _clock, services => services.AddDisputes());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _api.DisposeAsync();
    }

    private DiscordInterviewBot Bot => _services.GetRequiredService<DiscordInterviewBot>();

    [Fact]
    public async Task The_disagree_button_opens_its_form_within_the_read_budget_when_the_store_neither_answers_nor_heeds_its_token()
    {
        var clock = new TimerWatchingClock(_clock.GetUtcNow());
        var stalled = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var threads = new Mock<IInterviewThreads>();
        threads.Setup(t => t.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(stalled.Task);
        await using var services = DiscordBotServices.Build(_api, Token, clock, services => services.AddDisputes().AddSingleton(threads.Object));
        var disagree = "mb:disagree:" + new DisputedFeedback(1, "theory-attention-scaling", "v1").Encode();

        var pressing = services.GetRequiredService<DiscordInterviewBot>().AcknowledgeAsync(DiscordEvents.Component("6000000000000000001", Candidate, disagree).Parsed, default);
        await clock.WaitForTimerAsync(FormReads.Budget);
        clock.Advance(FormReads.Budget);
        var form = await pressing.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        stalled.SetException(new TimeoutException("the store answered long after"));

        Assert.Equal(InteractionCallbackTypes.Modal, form.Type);
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, JsonSerializer.Serialize(form, DiscordJson.Default.InteractionCallback)));
    }

    [Fact]
    public async Task A_disputed_score_goes_blind_to_three_opted_in_members_whose_votes_settle_it_and_the_candidate_hears_by_direct_message()
    {
        var (thread, feedback, disagree) = await JudgedFeedbackAsync();

        var form = await Bot.AcknowledgeAsync(DiscordEvents.Component(thread, Candidate, disagree, feedback.Id).Parsed, default);
        Assert.Equal(InteractionCallbackTypes.Modal, form.Type);
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, JsonSerializer.Serialize(form, DiscordJson.Default.InteractionCallback)));
        var dimensions = form.Data!.Components![0].Description!;
        var dimension = dimensions["One of: ".Length..].Split(", ")[0];

        var filed = await CompleteAsync(DiscordEvents.DisagreeForm(thread, Candidate, form.Data.CustomId!, dimension, Reason));
        Assert.Contains($"dispute on {dimension} is filed", filed, StringComparison.Ordinal);

        foreach (var voter in Voters)
        {
            Assert.Contains("score disputed answers now", await CompleteAsync(Disputes("on", voter)), StringComparison.Ordinal);
        }

        var replies = new List<string>();
        foreach (var voter in Voters)
        {
            var asked = Disputes("vote", voter);
            await CompleteAsync(asked);
            var ballot = _api.Followups.Where(f => f.Token == asked.Token).ToList();
            var shown = string.Concat(ballot.Select(f => f.Body["content"]!.GetValue<string>()));
            Assert.Contains("Blind ballot", shown, StringComparison.Ordinal);
            Assert.Contains("serve it behind a cache", shown, StringComparison.Ordinal);
            Assert.DoesNotContain(Candidate, shown, StringComparison.Ordinal);
            Assert.DoesNotContain("ada", shown, StringComparison.Ordinal);
            Assert.DoesNotContain(Reason, shown, StringComparison.Ordinal);
            Assert.DoesNotContain("/4", shown, StringComparison.Ordinal);
            var scoreButtons = ButtonIds(ballot[^1].Body).ToList();
            Assert.Equal(4, scoreButtons.Count);

            replies.Add(await CompleteAsync(DiscordEvents.Component(DiscordEvents.Channel, voter, scoreButtons[3], ballot[^1].MessageId)));
        }

        Assert.All(replies[..2], r => Assert.Contains("your vote is counted", r, StringComparison.Ordinal));
        Assert.Contains("settled this dispute", replies[2], StringComparison.Ordinal);
        var direct = _api.DirectMessageChannel(Candidate);
        Assert.NotNull(direct);
        var outcome = Assert.Single(_api.Messages(direct)).Body["content"]!.GetValue<string>();
        var settled = Assert.Single(await _services.GetRequiredService<IDisputeStore>().SettledAsync(default));

        // Upheld or not turns on the judge's score for the dimension, which the test does not choose.
        Assert.Contains(settled.Upheld ? $"Your dispute on {dimension} is upheld" : $"The judge's score on {dimension} stands", outcome, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"the judge gave {settled.Judge.Score}, your peers' blind vote gave 4"), outcome, StringComparison.Ordinal);
        Assert.All(Voters, v => Assert.DoesNotContain(v, outcome, StringComparison.Ordinal));

        Assert.Equal([4, 4, 4], settled.PeerScores);
        Assert.Equal(dimension, settled.Case.Rubric.Dimension);
        Assert.DoesNotContain(Candidate, settled.Case.Answer, StringComparison.Ordinal);
        Assert.Empty(_api.Violations);

        // The settled case is a labelled answer: eval --settled measures the judge on it, as recorded and as it judges now.
        var run = await SettledCaseRunner.RunAsync([settled], _services.GetRequiredService<QuestionBank>(), _services.GetRequiredService<IAnswerJudge>());
        var report = SettledEvalReport.Of([settled], "offline", run);
        var recorded = Assert.Single(report.Recorded);
        Assert.Equal((settled.Judge.PromptVersion, 1), (recorded.PromptVersion, recorded.Cases));
        Assert.Equal(JudgeAgreement.Agrees(settled.Judge.Score, 4) ? 1.0 : 0.0, recorded.Agreement);
        Assert.Equal(1, Assert.Single(report.Rerun).Cases);
        Assert.Contains("Settled disputes: 1", report.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outcome_whose_direct_message_fails_is_kept_untold_and_arrives_once_on_a_later_pass()
    {
        var (thread, feedback, disagree) = await JudgedFeedbackAsync();
        var form = await Bot.AcknowledgeAsync(DiscordEvents.Component(thread, Candidate, disagree, feedback.Id).Parsed, default);
        var dimension = form.Data!.Components![0].Description!["One of: ".Length..].Split(", ")[0];
        await CompleteAsync(DiscordEvents.DisagreeForm(thread, Candidate, form.Data.CustomId!, dimension, Reason));
        _api.FailNext(1, 403, FakeDiscordApi.RouteIs("POST /users/@me/channels"), code: 50007, message: "Cannot send messages to this user");

        await VoteAllAsync();

        Assert.Null(_api.DirectMessageChannel(Candidate));
        var delivery = _services.GetRequiredService<DisputeOutcomeDelivery>();
        _clock.Advance(new DisputeOptions().RetryEvery);
        Assert.Equal(1, await delivery.RunDueAsync(default));
        Assert.Equal(0, await delivery.RunDueAsync(default));

        var outcome = Assert.Single(_api.Messages(_api.DirectMessageChannel(Candidate)!)).Body["content"]!.GetValue<string>();
        // Upheld or not depends on the judge's score for the question drawn; the peers' vote is the test's own.
        Assert.Contains($" on {dimension} ", outcome, StringComparison.Ordinal);
        Assert.Contains("peers' blind vote gave 4", outcome, StringComparison.Ordinal);
        Assert.DoesNotContain("blind vote gave", await CompleteAsync(DiscordEvents.Command("disputes", Candidate)), StringComparison.Ordinal);
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public async Task An_outcome_discord_took_from_a_sender_that_died_before_it_was_marked_told_arrives_once_on_the_next_pass()
    {
        var messenger = _services.GetRequiredService<IDisputeMessenger>();
        var outcome = new DisputeOutcomeMessage(DiscordInterviewBot.CandidateOf(Candidate), "dispute-7", "Your dispute on coverage is upheld: the judge gave 2, your peers' blind vote gave 4.");
        var held = _api.HoldAnswerAfterAccepting(body => ((string?)body["content"])?.StartsWith("Your dispute", StringComparison.Ordinal) == true);
        using var dying = new CancellationTokenSource();
        var first = messenger.SendAsync(outcome, dying.Token);
        await Poll.UntilAsync(() => held.IsCompleted, "Discord to accept the outcome's direct message");
        await dying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        // The outcome stays untold until a pass a quarter of an hour on, long after Discord forgot the message's nonce.
        _clock.Advance(new DisputeOptions().RetryEvery);
        await messenger.SendAsync(outcome, default);

        var sent = Assert.Single(_api.Messages(_api.DirectMessageChannel(Candidate)!));
        Assert.Contains("peers' blind vote gave 4", (string)sent.Body["content"]!, StringComparison.Ordinal);
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public async Task A_candidate_sees_their_open_dispute_and_its_count_of_votes_with_disputes_alone()
    {
        var (thread, feedback, disagree) = await JudgedFeedbackAsync();
        var form = await Bot.AcknowledgeAsync(DiscordEvents.Component(thread, Candidate, disagree, feedback.Id).Parsed, default);
        var dimension = form.Data!.Components![0].Description!["One of: ".Length..].Split(", ")[0];
        await CompleteAsync(DiscordEvents.DisagreeForm(thread, Candidate, form.Data.CustomId!, dimension, Reason));

        var listed = await CompleteAsync(DiscordEvents.Command("disputes", Candidate));

        Assert.Contains($"Your disputes:\n- Your dispute on {dimension} is waiting for votes (0 of 3).", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(Reason, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_candidate_may_press_I_disagree_and_everyone_else_gets_a_one_line_refusal()
    {
        var (thread, feedback, disagree) = await JudgedFeedbackAsync();

        var refused = await Bot.AcknowledgeAsync(DiscordEvents.Component(thread, Bystander, disagree, feedback.Id).Parsed, default);
        await CompleteAsync(DiscordEvents.Start("theory", 1, Bystander));
        var refusedWithOwnInterview = await Bot.AcknowledgeAsync(DiscordEvents.Component(thread, Bystander, disagree, feedback.Id).Parsed, default);

        Assert.Equal(InteractionCallbackTypes.ChannelMessageWithSource, refused.Type);
        Assert.Equal(MessageFlags.Ephemeral, refused.Data!.Flags);
        Assert.Equal(DisputeCommands.NotDisputable, refused.Data.Content);
        Assert.Equal(DisputeCommands.NotYours, refusedWithOwnInterview.Data!.Content);
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, JsonSerializer.Serialize(refused, DiscordJson.Default.InteractionCallback)));
    }

    [Fact]
    public async Task A_form_with_an_unknown_dimension_or_an_oversize_reason_files_nothing_and_hands_the_reason_back()
    {
        var (thread, feedback, disagree) = await JudgedFeedbackAsync();
        var form = await Bot.AcknowledgeAsync(DiscordEvents.Component(thread, Candidate, disagree, feedback.Id).Parsed, default);
        var dimension = form.Data!.Components![0].Description!["One of: ".Length..].Split(", ")[0];
        var tooLong = string.Concat(Enumerable.Repeat("too long ", 60));

        var unknown = await CompleteAsync(DiscordEvents.DisagreeForm(thread, Candidate, form.Data.CustomId!, "charisma", Reason));
        var oversize = await CompleteAsync(DiscordEvents.DisagreeForm(thread, Candidate, form.Data.CustomId!, dimension, tooLong));

        Assert.Contains("was not scored on 'charisma'", unknown, StringComparison.Ordinal);
        Assert.Contains(Reason, unknown, StringComparison.Ordinal);
        Assert.Contains("keep it to 500", oversize, StringComparison.Ordinal);
        Assert.Contains("What you wrote, to send again", oversize, StringComparison.Ordinal);
        Assert.Empty(await _services.GetRequiredService<IDisputeStore>().SettledAsync(default));
        Assert.Null(await _services.GetRequiredService<IDisputeStore>().NextForVoterAsync(Voters[0], Here, DateTimeOffset.MinValue, default));
    }

    [Fact]
    public async Task An_answer_whose_text_the_interview_has_dropped_is_disputed_on_its_kept_quotes_and_the_candidate_is_told()
    {
        var (thread, feedback, disagree) = await JudgedFeedbackAsync(questions: 3);
        foreach (var next in new[] { "Second answer: I would shard the index and cache hot queries.", "Third answer: I would monitor drift weekly." })
        {
            await Bot.HandleMessageAsync(DiscordEvents.Parsed(DiscordEvents.Message(thread, Candidate, next)), default);
            await JudgeAsync();
        }

        var form = await Bot.AcknowledgeAsync(DiscordEvents.Component(thread, Candidate, disagree, feedback.Id).Parsed, default);
        var dimension = form.Data!.Components![0].Description!["One of: ".Length..].Split(", ")[0];
        var filed = await CompleteAsync(DiscordEvents.DisagreeForm(thread, Candidate, form.Data.CustomId!, dimension, Reason));

        Assert.Contains("is filed", filed, StringComparison.Ordinal);
        Assert.Contains("voters see the quotes kept from it", filed, StringComparison.Ordinal);
        await CompleteAsync(Disputes("on", Voters[0]));
        var offer = await _services.GetRequiredService<DisputeDesk>().NextBallotAsync(DiscordInterviewBot.CandidateOf(Voters[0]), Here, default);
        Assert.NotNull(offer.Case);
        Assert.NotEqual(Answer, offer.Case.Answer);
        Assert.NotEmpty(offer.Case.Answer);
    }

    [Fact]
    public async Task The_last_answer_of_a_finished_interview_can_still_be_disputed_from_its_feedback_until_the_finished_interview_is_let_go()
    {
        var (thread, _, _) = await JudgedFeedbackAsync();
        await Bot.HandleMessageAsync(DiscordEvents.Parsed(DiscordEvents.Message(thread, Candidate, "Second answer: I would shard the index and cache hot queries, and watch drift.")), default);
        await CompleteAsync(DiscordEvents.Component(thread, Candidate, "mb:end"));
        await JudgeAsync();
        Assert.Contains(_api.Messages(thread), m => (m.Body["content"]?.GetValue<string>() ?? string.Empty).Contains("Scorecard", StringComparison.Ordinal));
        var last = _api.Messages(thread).Last(m => ButtonIds(m.Body).Any(id => id.StartsWith("mb:disagree:", StringComparison.Ordinal)));
        var disagree = ButtonIds(last.Body).Single(id => id.StartsWith("mb:disagree:", StringComparison.Ordinal));

        var form = await Bot.AcknowledgeAsync(DiscordEvents.Component(thread, Candidate, disagree, last.Id).Parsed, default);
        var dimension = form.Data!.Components![0].Description!["One of: ".Length..].Split(", ")[0];
        var filed = await CompleteAsync(DiscordEvents.DisagreeForm(thread, Candidate, form.Data.CustomId!, dimension, Reason));
        _clock.Advance(new Mockingbird.Chat.Stores.SessionStoreOptions().FinishedRetention);
        var refused = await Bot.AcknowledgeAsync(DiscordEvents.Component(thread, Candidate, disagree, last.Id).Parsed, default);

        Assert.Equal(InteractionCallbackTypes.Modal, form.Type);
        Assert.Contains($"dispute on {dimension} is filed", filed, StringComparison.Ordinal);
        Assert.Equal(InteractionCallbackTypes.ChannelMessageWithSource, refused.Type);
        Assert.Equal(DisputeCommands.NotDisputable, refused.Data!.Content);
    }

    [Fact]
    public async Task A_member_who_has_not_opted_in_gets_no_ballot()
    {
        var reply = await CompleteAsync(Disputes("vote", Voters[0]));

        Assert.Contains(DisputeDesk.NotOptedIn, reply, StringComparison.Ordinal);
        Assert.Empty(_api.Followups);
    }

    [Fact]
    public async Task A_member_of_another_server_who_opts_in_there_is_shown_nothing_of_this_servers_dispute_and_their_vote_on_it_is_refused()
    {
        var (thread, feedback, disagree) = await JudgedFeedbackAsync();
        var form = await Bot.AcknowledgeAsync(DiscordEvents.Component(thread, Candidate, disagree, feedback.Id).Parsed, default);
        var dimension = form.Data!.Components![0].Description!["One of: ".Length..].Split(", ")[0];
        Assert.Contains("people in this server or workspace who opted in here will score", await CompleteAsync(DiscordEvents.DisagreeForm(thread, Candidate, form.Data.CustomId!, dimension, Reason)), StringComparison.Ordinal);
        var filed = Assert.Single(await _services.GetRequiredService<IDisputeStore>().RaisedByAsync(DiscordInterviewBot.CandidateOf(Candidate), default)).Dispute;
        var stranger = Voters[0];

        await CompleteAsync(InGuild(Disputes("on", stranger), OtherGuild));
        var asked = InGuild(Disputes("vote", stranger), OtherGuild);
        var ballot = await CompleteAsync(asked);
        var vote = await CompleteAsync(InGuild(DiscordEvents.Component(DiscordEvents.Channel, stranger, $"mb:vote:{filed.Id}:4"), OtherGuild));

        Assert.Equal(Here, filed.Place);
        Assert.Contains("No disputed answer is waiting", ballot, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Followups, f => f.Token == asked.Token);
        Assert.Contains("filed in another server or workspace", vote, StringComparison.Ordinal);
        Assert.Equal(0, (await _services.GetRequiredService<IDisputeStore>().FindAsync(filed.Id, default))!.Votes);
        Assert.Contains(DisputeDesk.NotOptedIn, await CompleteAsync(Disputes("vote", stranger)), StringComparison.Ordinal);
    }

    /// <summary>A two-question interview with its first answer judged: the feedback and its I-disagree button.</summary>
    private async Task<(string Thread, PostedMessage Feedback, string Disagree)> JudgedFeedbackAsync(int questions = 2)
    {
        await CompleteAsync(DiscordEvents.Start("system-design", questions));
        var thread = _api.Threads[^1].Id;
        await Bot.HandleMessageAsync(DiscordEvents.Parsed(DiscordEvents.Message(thread, Candidate, Answer)), default);
        await JudgeAsync();

        var feedback = Assert.Single(_api.Messages(thread), m => ButtonIds(m.Body).Any(id => id.StartsWith("mb:disagree:", StringComparison.Ordinal)));
        return (thread, feedback, ButtonIds(feedback.Body).Single(id => id.StartsWith("mb:disagree:", StringComparison.Ordinal)));
    }

    /// <summary>Three opted-in members each take the next ballot and score it 4.</summary>
    private async Task VoteAllAsync()
    {
        foreach (var voter in Voters)
        {
            await CompleteAsync(Disputes("on", voter));
            var asked = Disputes("vote", voter);
            await CompleteAsync(asked);
            var ballot = _api.Followups.Where(f => f.Token == asked.Token).ToList();
            await CompleteAsync(DiscordEvents.Component(DiscordEvents.Channel, voter, ButtonIds(ballot[^1].Body).Last(), ballot[^1].MessageId));
        }
    }

    private async Task JudgeAsync()
    {
        var worker = _services.GetRequiredService<JudgingWorker>();
        while (await worker.RunOnceAsync("test-worker", 16, default) > 0)
        {
        }
    }

    private static FakeInteraction Disputes(string action, string user) =>
        DiscordEvents.Command("disputes", user, DiscordEvents.Channel, new JsonArray(new JsonObject { ["name"] = "action", ["type"] = 3, ["value"] = action }));

    /// <summary>The same interaction as it arrives from another server.</summary>
    private static FakeInteraction InGuild(FakeInteraction interaction, string guild)
    {
        interaction.Body["guild_id"] = guild;
        interaction.Body["channel"]!["guild_id"] = guild;
        return interaction;
    }

    private async Task<string> CompleteAsync(FakeInteraction interaction)
    {
        _api.RegisterInteraction(interaction.Id, interaction.Token, DiscordEvents.Channel, answeredInline: true);
        await Bot.CompleteAsync(interaction.Parsed, default);
        var edit = _api.OriginalEdits.Last(e => e.Token == interaction.Token);
        Assert.Empty(_api.Violations);
        return edit.Body["content"]!.GetValue<string>();
    }

    private static IEnumerable<string> ButtonIds(JsonObject body) =>
        (body["components"]?.AsArray() ?? []).SelectMany(row => row?["components"]?.AsArray() ?? [])
            .Select(button => button?["custom_id"]?.GetValue<string>()).OfType<string>();
}
