using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Testing;

namespace Mockingbird.Disputes.Tests;

public sealed class DisputeDeskTests
{
    private readonly FakeTimeProvider _clock = new(SampleDisputes.Start);
    private readonly InMemoryDisputeStore _store = new();
    private readonly InMemoryDisputeVoters _voters = new();
    private readonly DisputeDesk _desk;

    public DisputeDeskTests() =>
        _desk = new DisputeDesk(_store, _voters, Options.Create(new DisputeOptions()), _clock, NullLogger<DisputeDesk>.Instance);

    private async Task OptInAsync(params string[] people)
    {
        foreach (var person in people)
            await _desk.SetVotingAsync(person, SampleDisputes.Place, true, default);
    }

    private async Task<string> DisputeAsync(string candidate = "cand-1", int judgeScore = 2)
    {
        var filing = await _desk.DisputeAsync(SampleDisputes.Request(candidate, judgeScore: judgeScore), default);
        Assert.True(filing.OpenedNow, filing.Problem);
        return filing.Outcome!.DisputeId;
    }

    [Fact]
    public async Task What_a_voter_is_shown_holds_the_question_the_anonymised_answer_and_the_rubric_but_not_the_judges_score_or_the_candidate()
    {
        await OptInAsync("voter-1");
        await DisputeAsync("cand-1", judgeScore: 2);

        var offer = await _desk.NextBallotAsync("voter-1", SampleDisputes.Place, default);

        var shown = offer.Case!;
        Assert.Equal(["DisputeId", "QuestionId", "QuestionPrompt", "Answer", "Rubric"], typeof(BlindCase).GetProperties().Select(p => p.Name));
        Assert.Equal(["Dimension", "Points"], typeof(DisputedRubric).GetProperties().Select(p => p.Name));
        var json = JsonSerializer.Serialize(shown);
        Assert.DoesNotContain("cand-1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("U0CANDIDATE", json, StringComparison.Ordinal);
        Assert.DoesNotContain("@ann", json, StringComparison.Ordinal);
        Assert.DoesNotContain("judge-theory", json, StringComparison.Ordinal);
        Assert.DoesNotContain("named the variance growth", json, StringComparison.Ordinal);
        Assert.Equal("Dot products grow with the dimension, so the softmax saturates. Thanks @someone and @someone.", shown.Answer);
        Assert.Equal("coverage", shown.Rubric.Dimension);
    }

    [Fact]
    public async Task The_candidate_is_not_offered_their_own_dispute_and_cannot_vote_on_it()
    {
        await OptInAsync("cand-1");
        var id = await DisputeAsync("cand-1");

        Assert.Null((await _desk.NextBallotAsync("cand-1", SampleDisputes.Place, default)).Case);
        var result = await _desk.VoteAsync("cand-1", SampleDisputes.Place, id, 4, default);

        Assert.Equal(VoteOutcome.OwnDispute, result.Outcome);
        Assert.Equal("You raised this dispute, so you cannot vote on it.", result.Problem);
    }

    [Fact]
    public async Task Someone_who_has_not_opted_in_is_neither_offered_a_dispute_nor_counted()
    {
        var id = await DisputeAsync();

        Assert.Equal(DisputeDesk.NotOptedIn, (await _desk.NextBallotAsync("stranger", SampleDisputes.Place, default)).Problem);
        Assert.Equal(DisputeDesk.NotOptedIn, (await _desk.VoteAsync("stranger", SampleDisputes.Place, id, 3, default)).Problem);
        Assert.Equal(0, (await _store.FindAsync(id, default))!.Votes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task A_vote_outside_one_to_four_is_refused_and_not_counted(int score)
    {
        await OptInAsync("voter-1");
        var id = await DisputeAsync();

        var result = await _desk.VoteAsync("voter-1", SampleDisputes.Place, id, score, default);

        Assert.Null(result.Outcome);
        Assert.Equal($"A score is 1 (weak) to 4 (strong); {score} is not one.", result.Problem);
        Assert.Equal(0, (await _store.FindAsync(id, default))!.Votes);
    }

    [Fact]
    public async Task Three_blind_votes_settle_the_dispute_and_the_settling_vote_tells_the_candidate_the_outcome_without_the_voters()
    {
        await OptInAsync("voter-1", "voter-2", "voter-3");
        var id = await DisputeAsync("cand-1", judgeScore: 2);

        Assert.Null((await _desk.VoteAsync("voter-1", SampleDisputes.Place, id, 4, default)).Settled);
        Assert.Null((await _desk.VoteAsync("voter-2", SampleDisputes.Place, id, 3, default)).Settled);
        var last = await _desk.VoteAsync("voter-3", SampleDisputes.Place, id, 4, default);

        Assert.Equal(VoteOutcome.Settled, last.Outcome);
        var notice = last.Settled!;
        Assert.Equal("cand-1", notice.CandidateId);
        Assert.Equal(DisputeState.Upheld, notice.Outcome.State);
        Assert.Equal(4, notice.Outcome.PeerScore);
        Assert.Equal("Your dispute on coverage is upheld: the judge gave 2, your peers' blind vote gave 4.", notice.Outcome.Text);
        Assert.DoesNotContain("voter", JsonSerializer.Serialize(notice), StringComparison.Ordinal);
        Assert.Equal(notice.Outcome, await _desk.OutcomeAsync("cand-1", id, default));
    }

    [Fact]
    public async Task Peers_within_a_point_of_the_judge_leave_the_judges_score_standing()
    {
        await OptInAsync("voter-1", "voter-2", "voter-3");
        var id = await DisputeAsync(judgeScore: 2);

        await _desk.VoteAsync("voter-1", SampleDisputes.Place, id, 2, default);
        await _desk.VoteAsync("voter-2", SampleDisputes.Place, id, 3, default);
        var last = await _desk.VoteAsync("voter-3", SampleDisputes.Place, id, 2, default);

        Assert.Equal(DisputeState.JudgeStands, last.Settled!.Outcome.State);
        Assert.Equal("The judge's score on coverage stands: the judge gave 2, your peers' blind vote gave 2.", last.Settled.Outcome.Text);
    }

    [Fact]
    public async Task Only_the_candidate_who_raised_a_dispute_can_read_its_outcome()
    {
        var id = await DisputeAsync("cand-1");

        Assert.Equal(DisputeState.Open, (await _desk.OutcomeAsync("cand-1", id, default))!.State);
        Assert.Null(await _desk.OutcomeAsync("cand-2", id, default));
    }

    [Fact]
    public async Task Pressing_i_disagree_twice_opens_one_dispute()
    {
        var first = await _desk.DisputeAsync(SampleDisputes.Request(), default);
        var second = await _desk.DisputeAsync(SampleDisputes.Request(), default);

        Assert.True(first.OpenedNow);
        Assert.False(second.OpenedNow);
        Assert.Equal(first.Outcome!.DisputeId, second.Outcome!.DisputeId);
    }

    [Fact]
    public async Task A_dispute_left_unsettled_for_the_window_expires_and_takes_no_more_votes()
    {
        await OptInAsync("voter-1", "voter-2");
        var id = await DisputeAsync();
        await _desk.VoteAsync("voter-1", SampleDisputes.Place, id, 3, default);

        _clock.Advance(TimeSpan.FromDays(14));

        Assert.Null((await _desk.NextBallotAsync("voter-2", SampleDisputes.Place, default)).Case);
        Assert.Equal(VoteOutcome.Expired, (await _desk.VoteAsync("voter-2", SampleDisputes.Place, id, 3, default)).Outcome);
        var outcome = await _desk.OutcomeAsync("cand-1", id, default);
        Assert.Equal(DisputeState.Expired, outcome!.State);
        Assert.Equal("Your dispute on coverage expired before enough peers voted; the judge's score stands.", outcome.Text);
    }

    [Fact]
    public async Task Forget_me_removes_the_persons_disputes_votes_and_opt_in()
    {
        await OptInAsync("cand-1", "voter-2");
        var own = await DisputeAsync("cand-1");
        var others = await DisputeAsync("cand-2");
        await _desk.VoteAsync("cand-1", SampleDisputes.Place, others, 3, default);
        var memory = new DisputeMemory(_store, _voters);

        Assert.Equal(3, await memory.ForgetAsync("cand-1", default));

        Assert.Null(await _store.FindAsync(own, default));
        Assert.Equal(0, (await _store.FindAsync(others, default))!.Votes);
        Assert.False(await _voters.IsOptedInAsync("cand-1", SampleDisputes.Place, default));
        Assert.True(await _voters.IsOptedInAsync("voter-2", SampleDisputes.Place, default));
    }
}
