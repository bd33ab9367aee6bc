using Mockingbird.Chat;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Disputes.Tests;

/// <summary>
/// Disputes stay in the server or workspace they were filed in: only people who opted in there are shown the answer
/// and may vote on it, so inviting the bot to a server of one's own reads nobody else's answers.
/// </summary>
public sealed class DisputePlaceTests
{
    private const string Here = SampleDisputes.Place;
    private const string Elsewhere = SampleDisputes.Elsewhere;

    private readonly InMemoryDisputeRig _rig = new();

    private Task<string> RunAsync(string person, string? place, DisputeAction? action) =>
        _rig.Commands.RunAsync(new ChatRequest(person, $"e-{person}-{action}", 1, Place: place), new ChatCommand.Disputes(action), "/mock", default);

    [Fact]
    public async Task A_stranger_who_opts_in_in_another_server_is_shown_nothing_from_this_one_and_their_vote_on_it_is_refused()
    {
        var id = await FileAsync("cand-1", Here);

        await RunAsync("stranger", Elsewhere, DisputeAction.On);
        var ballot = await _rig.Commands.BallotAsync("stranger", Elsewhere, "/mock", default);
        var vote = await _rig.Commands.VoteAsync("stranger", Elsewhere, id, 1, default);

        Assert.Null(ballot.DisputeId);
        Assert.DoesNotContain("softmax", ballot.Text, StringComparison.Ordinal);
        Assert.Equal("This dispute was filed in another server or workspace; only people there score it.", vote.Reply);
        Assert.Equal(0, (await _rig.Store.FindAsync(id, default))!.Votes);
    }

    [Fact]
    public async Task A_member_who_opted_in_here_is_shown_this_servers_dispute_but_not_when_asking_from_a_server_they_did_not_opt_in_to()
    {
        var id = await FileAsync("cand-1", Here);

        await RunAsync("member", Here, DisputeAction.On);

        Assert.Equal(id, (await _rig.Commands.BallotAsync("member", Here, "/mock", default)).DisputeId);
        Assert.Contains(DisputeDesk.NotOptedIn, await RunAsync("member", Elsewhere, DisputeAction.Vote), StringComparison.Ordinal);
        Assert.Contains(DisputeDesk.NotOptedIn, (await _rig.Commands.VoteAsync("member", Elsewhere, id, 3, default)).Reply, StringComparison.Ordinal);
        Assert.Equal("Thank you: your vote is counted. It stays anonymous.", (await _rig.Commands.VoteAsync("member", Here, id, 3, default)).Reply);
    }

    [Fact]
    public async Task Opting_in_or_voting_in_a_direct_message_is_refused_and_says_to_use_a_server_or_workspace()
    {
        var id = await FileAsync("cand-1", Here);

        Assert.Equal(DisputeRules.NoPlace, await RunAsync("member", null, DisputeAction.On));
        Assert.Equal(DisputeRules.NoPlace, await RunAsync("member", null, DisputeAction.Vote));
        Assert.Equal(DisputeRules.NoPlace, (await _rig.Commands.VoteAsync("member", null, id, 3, default)).Reply);
        Assert.False(await _rig.Voters.IsOptedInAsync("member", Here, default));
        var inDirectMessage = await RunAsync("member", null, null);
        Assert.Contains("run `/mock disputes on` in a channel there, not in a direct message", inDirectMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("this server", inDirectMessage, StringComparison.Ordinal);
        Assert.Contains("people in this server or workspace who opted in here", await RunAsync("member", Here, null), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dispute_filed_without_a_place_is_refused_and_one_filed_in_a_server_tells_the_candidate_its_people_will_score_it()
    {
        var session = await FinishedAsync("cand-1");

        var withoutPlace = await DisputeAsync("cand-1", session, place: null);
        var filed = await DisputeAsync("cand-1", session, Here);

        Assert.Equal(new DisputeFiled(DisputeRules.NoPlace, false), withoutPlace);
        Assert.True(filed.Filed, filed.Reply);
        Assert.Contains("3 people in this server or workspace who opted in here will score your answer blind", filed.Reply, StringComparison.Ordinal);
        Assert.Equal(Here, Assert.Single(await _rig.Store.RaisedByAsync("cand-1", default)).Dispute.Place);
    }

    private async Task<string> FileAsync(string candidate, string place)
    {
        var filed = await DisputeAsync(candidate, await FinishedAsync(candidate), place);
        Assert.True(filed.Filed, filed.Reply);
        return Assert.Single(await _rig.Store.RaisedByAsync(candidate, default)).Dispute.Id;
    }

    private Task<DisputeFiled> DisputeAsync(string candidate, InterviewSession session, string? place) =>
        _rig.Commands.DisputeAsync(
            new ChatRequest(candidate, $"e-{candidate}", 1, Place: place),
            new DisputedFeedback(1, SampleQuestions.Attention.Id, "judge-theory@v1", session.Mark),
            "thread-of-that-interview",
            "coverage",
            "I named the variance growth.",
            [],
            default);

    private async Task<InterviewSession> FinishedAsync(string candidate)
    {
        return await _rig.FinishedAsync(SampleDisputes.FinishedInterview(candidate));
    }
}
