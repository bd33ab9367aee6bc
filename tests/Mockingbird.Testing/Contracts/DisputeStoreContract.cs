using System.Text.Json;
using Mockingbird.Disputes;
using Xunit;

namespace Mockingbird.Testing.Contracts;

/// <summary>
/// The behaviour every dispute store must have; the in-memory and the Redis stores (single server and cluster) run
/// it. Times and policy are passed in, as the store takes them.
/// </summary>
public abstract class DisputeStoreContract : IAsyncLifetime
{
    protected const int VotesToSettle = 3;

    protected static readonly DateTimeOffset Start = SampleDisputes.Start;

    /// <summary>Before every dispute the tests open: none has expired.</summary>
    protected static readonly DateTimeOffset LongAgo = Start.AddDays(-30);

    protected IDisputeStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fresh, empty store.</summary>
    protected abstract Task<IDisputeStore> CreateAsync();

    /// <summary>Records hold lists, which compare by reference; a store hands back what it kept, not the same objects.</summary>
    protected static void AssertSame<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

    protected Task<VoteReceipt> VoteAsync(string disputeId, string voter, int score, IDisputeStore? store = null, DateTimeOffset? openedAfter = null, string place = SampleDisputes.Place) =>
        (store ?? Store).VoteAsync(disputeId, voter, place, score, VotesToSettle, openedAfter ?? LongAgo, Start.AddHours(1), default);

    protected Task<Dispute?> NextForVoterAsync(string voter, DateTimeOffset? openedAfter = null, string place = SampleDisputes.Place) =>
        Store.NextForVoterAsync(voter, place, openedAfter ?? LongAgo, default);

    [Fact]
    public async Task An_opened_dispute_is_found_with_no_votes_and_opening_it_again_changes_nothing()
    {
        var dispute = SampleDisputes.Dispute();

        Assert.True(await Store.OpenAsync(dispute, default));
        Assert.False(await Store.OpenAsync(dispute with { Reason = "another reason" }, default));

        var record = await Store.FindAsync(dispute.Id, default);
        Assert.NotNull(record);
        AssertSame(dispute, record.Dispute);
        Assert.Equal(0, record.Votes);
        Assert.Null(record.Settled);
    }

    [Fact]
    public async Task The_next_dispute_for_a_voter_is_the_oldest_open_one_they_neither_raised_nor_voted_on()
    {
        var older = SampleDisputes.Dispute("cand-1", "f-1", Start);
        var newer = SampleDisputes.Dispute("cand-2", "f-2", Start.AddMinutes(5));
        await Store.OpenAsync(newer, default);
        await Store.OpenAsync(older, default);

        Assert.Equal(older.Id, (await NextForVoterAsync("voter-1"))?.Id);
        Assert.Equal(newer.Id, (await NextForVoterAsync("cand-1"))?.Id);

        await VoteAsync(older.Id, "voter-1", 3);
        Assert.Equal(newer.Id, (await NextForVoterAsync("voter-1"))?.Id);
        await VoteAsync(newer.Id, "voter-1", 3);
        Assert.Null(await NextForVoterAsync("voter-1"));
    }

    [Fact]
    public async Task A_voter_is_offered_only_the_disputes_filed_in_the_place_they_ask_from()
    {
        var elsewhere = SampleDisputes.Dispute("cand-1", "f-1", Start, place: SampleDisputes.Elsewhere);
        await Store.OpenAsync(elsewhere, default);

        Assert.Null(await NextForVoterAsync("voter-1"));

        var here = SampleDisputes.Dispute("cand-2", "f-2", Start.AddMinutes(5));
        await Store.OpenAsync(here, default);

        Assert.Equal(here.Id, (await NextForVoterAsync("voter-1"))?.Id);
        Assert.Equal(elsewhere.Id, (await NextForVoterAsync("voter-1", place: SampleDisputes.Elsewhere))?.Id);
    }

    [Fact]
    public async Task A_vote_from_another_place_is_refused_and_leaves_the_dispute_as_it_was_for_its_own_place()
    {
        var elsewhere = SampleDisputes.Dispute("cand-1", "f-1", place: SampleDisputes.Elsewhere);
        await Store.OpenAsync(elsewhere, default);

        Assert.Equal(VoteOutcome.Elsewhere, (await VoteAsync(elsewhere.Id, "voter-1", 1)).Outcome);
        Assert.Equal(VoteOutcome.Elsewhere, (await VoteAsync(elsewhere.Id, "cand-1", 1)).Outcome);

        Assert.Equal(0, (await Store.FindAsync(elsewhere.Id, default))!.Votes);
        Assert.Equal(elsewhere.Id, (await NextForVoterAsync("voter-1", place: SampleDisputes.Elsewhere))?.Id);
        Assert.Equal(VoteOutcome.Counted, (await VoteAsync(elsewhere.Id, "voter-1", 3, place: SampleDisputes.Elsewhere)).Outcome);
    }

    [Fact]
    public async Task A_place_offers_its_oldest_dispute_still_open_passing_over_those_settled_or_forgotten_and_those_of_other_places()
    {
        var otherPlaces = SampleDisputes.Dispute("cand-0", "f-0", Start.AddMinutes(-1));
        var settled = SampleDisputes.Dispute("cand-1", "f-1", Start, place: SampleDisputes.Elsewhere);
        var forgotten = SampleDisputes.Dispute("cand-2", "f-2", Start.AddMinutes(1), place: SampleDisputes.Elsewhere);
        var waiting = SampleDisputes.Dispute("cand-3", "f-3", Start.AddMinutes(2), place: SampleDisputes.Elsewhere);
        foreach (var dispute in new[] { otherPlaces, settled, forgotten, waiting })
            await Store.OpenAsync(dispute, default);
        foreach (var voter in new[] { "voter-1", "voter-2", "voter-3" })
            await VoteAsync(settled.Id, voter, 3, place: SampleDisputes.Elsewhere);
        await Store.ForgetAsync("cand-2", default);

        Assert.Equal(waiting.Id, (await NextForVoterAsync("voter-4", place: SampleDisputes.Elsewhere))?.Id);
        Assert.Equal(otherPlaces.Id, (await NextForVoterAsync("voter-4"))?.Id);
    }

    [Fact]
    public async Task A_dispute_opened_before_the_window_is_offered_to_nobody_and_takes_no_vote()
    {
        var dispute = SampleDisputes.Dispute(openedAt: Start);
        await Store.OpenAsync(dispute, default);

        Assert.Null(await NextForVoterAsync("voter-1", Start));
        Assert.Equal(VoteOutcome.Expired, (await VoteAsync(dispute.Id, "voter-1", 3, openedAfter: Start)).Outcome);
        Assert.Equal(0, (await Store.FindAsync(dispute.Id, default))!.Votes);
    }

    [Fact]
    public async Task The_candidate_cannot_vote_on_their_own_dispute()
    {
        var dispute = SampleDisputes.Dispute("cand-1");
        await Store.OpenAsync(dispute, default);

        Assert.Equal(VoteOutcome.OwnDispute, (await VoteAsync(dispute.Id, "cand-1", 4)).Outcome);
        Assert.Equal(0, (await Store.FindAsync(dispute.Id, default))!.Votes);
    }

    [Fact]
    public async Task A_retried_vote_is_counted_once_and_the_first_score_stands()
    {
        var dispute = SampleDisputes.Dispute();
        await Store.OpenAsync(dispute, default);

        Assert.Equal(VoteOutcome.Counted, (await VoteAsync(dispute.Id, "voter-1", 3)).Outcome);
        Assert.Equal(VoteOutcome.AlreadyVoted, (await VoteAsync(dispute.Id, "voter-1", 3)).Outcome);
        Assert.Equal(VoteOutcome.AlreadyVoted, (await VoteAsync(dispute.Id, "voter-1", 1)).Outcome);
        await VoteAsync(dispute.Id, "voter-2", 3);
        var last = await VoteAsync(dispute.Id, "voter-3", 4);

        Assert.Equal(VoteOutcome.Settled, last.Outcome);
        Assert.Equal([3, 3, 4], last.Settled!.PeerScores.Order());
    }

    [Fact]
    public async Task The_third_vote_settles_the_dispute_into_the_labelled_set_and_a_fourth_is_turned_away()
    {
        var dispute = SampleDisputes.Dispute(judgeScore: 2);
        await Store.OpenAsync(dispute, default);

        Assert.Equal(VoteOutcome.Counted, (await VoteAsync(dispute.Id, "voter-1", 4)).Outcome);
        Assert.Equal(VoteOutcome.Counted, (await VoteAsync(dispute.Id, "voter-2", 3)).Outcome);
        var third = await VoteAsync(dispute.Id, "voter-3", 3);
        var fourth = await VoteAsync(dispute.Id, "voter-4", 1);

        Assert.Equal(VoteOutcome.Settled, third.Outcome);
        Assert.Equal(VoteOutcome.AlreadySettled, fourth.Outcome);
        var settled = Assert.Single(await Store.SettledAsync(default));
        AssertSame(third.Settled, settled);
        Assert.Equal(3, settled.PeerScore);
        Assert.True(settled.Upheld);
        AssertSame(dispute.Judge, settled.Judge);
        AssertSame(dispute.Case, settled.Case);
        Assert.Equal(Start.AddHours(1), settled.SettledAt);
        Assert.Null(await NextForVoterAsync("voter-4"));
        var record = await Store.FindAsync(dispute.Id, default);
        Assert.Equal(3, record!.Votes);
        AssertSame(settled, record.Settled);
    }

    [Fact]
    public async Task Many_voters_racing_for_the_last_places_settle_the_dispute_once_with_exactly_enough_votes()
    {
        var dispute = SampleDisputes.Dispute();
        await Store.OpenAsync(dispute, default);
        await VoteAsync(dispute.Id, "voter-0", 2);

        var receipts = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => Task.Run(() => VoteAsync(dispute.Id, $"voter-{i}", 3))));

        Assert.Single(receipts, r => r.Outcome == VoteOutcome.Settled);
        Assert.Equal(1, receipts.Count(r => r.Outcome == VoteOutcome.Counted));
        Assert.Equal(10, receipts.Count(r => r.Outcome == VoteOutcome.AlreadySettled));
        Assert.Equal(VotesToSettle, Assert.Single(await Store.SettledAsync(default)).PeerScores.Count);
    }

    [Fact]
    public async Task A_vote_on_an_unknown_dispute_is_refused()
    {
        Assert.Equal(VoteOutcome.Unknown, (await VoteAsync("dnothere", "voter-1", 3)).Outcome);
        Assert.Null(await Store.FindAsync("dnothere", default));
    }

    [Fact]
    public async Task Forgetting_a_candidate_deletes_their_disputes_open_or_settled_and_leaves_others()
    {
        var open = SampleDisputes.Dispute("cand-1", "f-1");
        var settled = SampleDisputes.Dispute("cand-1", "f-2");
        var someoneElses = SampleDisputes.Dispute("cand-2", "f-3");
        foreach (var dispute in new[] { open, settled, someoneElses })
            await Store.OpenAsync(dispute, default);
        foreach (var voter in new[] { "voter-1", "voter-2", "voter-3" })
            await VoteAsync(settled.Id, voter, 3);

        Assert.Equal(2, await Store.ForgetAsync("cand-1", default));

        Assert.Null(await Store.FindAsync(open.Id, default));
        Assert.Null(await Store.FindAsync(settled.Id, default));
        Assert.Empty(await Store.SettledAsync(default));
        Assert.Equal(someoneElses.Id, (await NextForVoterAsync("voter-1"))?.Id);
        Assert.Equal(0, await Store.ForgetAsync("cand-1", default));
    }

    [Fact]
    public async Task Forgetting_a_voter_takes_their_vote_off_an_open_dispute_and_leaves_a_settled_case_settled()
    {
        var open = SampleDisputes.Dispute("cand-1", "f-1");
        var settled = SampleDisputes.Dispute("cand-2", "f-2");
        await Store.OpenAsync(open, default);
        await Store.OpenAsync(settled, default);
        await VoteAsync(open.Id, "voter-1", 2);
        await VoteAsync(open.Id, "voter-2", 2);
        foreach (var voter in new[] { "voter-1", "voter-3", "voter-4" })
            await VoteAsync(settled.Id, voter, 4);

        Assert.Equal(2, await Store.ForgetAsync("voter-1", default));

        Assert.Equal(1, (await Store.FindAsync(open.Id, default))!.Votes);
        var kept = Assert.Single(await Store.SettledAsync(default));
        Assert.Equal([4, 4, 4], kept.PeerScores);
        AssertSame(kept, (await Store.FindAsync(settled.Id, default))!.Settled);

        // Their vote is gone from the open dispute, so they are offered it again like anyone who never voted.
        Assert.Equal(open.Id, (await NextForVoterAsync("voter-1"))?.Id);
        Assert.Equal(VoteOutcome.AlreadySettled, (await VoteAsync(settled.Id, "voter-1", 1)).Outcome);
    }

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);

    private async Task<Dispute> SettledAsync(string candidate = "cand-1", string feedbackId = "f-1")
    {
        var dispute = SampleDisputes.Dispute(candidate, feedbackId);
        await Store.OpenAsync(dispute, default);
        foreach (var voter in new[] { "voter-1", "voter-2", "voter-3" })
            await VoteAsync(dispute.Id, voter, 4);
        return dispute;
    }

    [Fact]
    public async Task A_settled_outcome_is_claimed_by_one_teller_at_a_time_and_once_told_the_record_keeps_only_the_labelled_case()
    {
        var dispute = await SettledAsync();
        var now = Start.AddHours(2);

        Assert.Equal(dispute.Id, Assert.Single(await Store.RaisedByAsync("cand-1", default)).Dispute.Id);
        Assert.Equal([dispute.Id], await Store.ClaimUntoldAsync(LongAgo, now, Lease, 10, default));
        Assert.Empty(await Store.ClaimUntoldAsync(LongAgo, now, Lease, 10, default));
        Assert.False(await Store.TryClaimUntoldAsync(dispute.Id, LongAgo, now, Lease, default));
        var labelled = Assert.Single(await Store.SettledAsync(default));

        Assert.True(await Store.ToldAsync(dispute.Id, default));
        Assert.False(await Store.ToldAsync(dispute.Id, default));

        var kept = (await Store.FindAsync(dispute.Id, default))!;
        Assert.Equal(string.Empty, kept.Dispute.CandidateId);
        Assert.Equal(string.Empty, kept.Dispute.Reason);
        AssertSame(dispute.Case, kept.Dispute.Case);
        AssertSame(dispute.Judge, kept.Dispute.Judge);
        AssertSame(labelled, kept.Settled);
        AssertSame(labelled, Assert.Single(await Store.SettledAsync(default)));
        Assert.Empty(await Store.RaisedByAsync("cand-1", default));
        Assert.Empty(await Store.ClaimUntoldAsync(LongAgo, now.AddDays(1), Lease, 10, default));
        Assert.Equal(VoteOutcome.AlreadySettled, (await VoteAsync(dispute.Id, "cand-1", 1)).Outcome);

        // Nothing names the candidate any more, so forgetting them leaves the anonymous case in the labelled set.
        Assert.Equal(0, await Store.ForgetAsync("cand-1", default));
        Assert.Single(await Store.SettledAsync(default));
    }

    [Fact]
    public async Task A_claim_that_lapses_untold_is_offered_again_after_its_lease()
    {
        var dispute = await SettledAsync();
        var now = Start.AddHours(2);
        Assert.Equal([dispute.Id], await Store.ClaimUntoldAsync(LongAgo, now, Lease, 10, default));

        Assert.Empty(await Store.ClaimUntoldAsync(LongAgo, now + Lease - TimeSpan.FromSeconds(1), Lease, 10, default));
        Assert.True(await Store.TryClaimUntoldAsync(dispute.Id, LongAgo, now + Lease, Lease, default));
        Assert.Single(await Store.RaisedByAsync("cand-1", default));
    }

    [Fact]
    public async Task A_claim_given_back_by_its_holder_is_claimable_at_once_and_one_that_lapsed_to_another_stays_theirs()
    {
        var dispute = await SettledAsync();
        var now = Start.AddHours(2);
        Assert.True(await Store.TryClaimUntoldAsync(dispute.Id, LongAgo, now, Lease, default));

        Assert.True(await Store.ReleaseClaimAsync(dispute.Id, now + Lease, now.AddMinutes(1), default));
        Assert.True(await Store.TryClaimUntoldAsync(dispute.Id, LongAgo, now.AddMinutes(1), Lease, default));

        // A holder giving back after its claim lapsed and another took it leaves the claim with the other.
        var later = now.AddMinutes(1) + Lease;
        Assert.True(await Store.TryClaimUntoldAsync(dispute.Id, LongAgo, later, Lease, default));
        Assert.False(await Store.ReleaseClaimAsync(dispute.Id, now.AddMinutes(1) + Lease, later.AddMinutes(1), default));
        Assert.False(await Store.TryClaimUntoldAsync(dispute.Id, LongAgo, later.AddMinutes(1), Lease, default));

        Assert.True(await Store.ToldAsync(dispute.Id, default));
        Assert.False(await Store.ReleaseClaimAsync(dispute.Id, later + Lease, later.AddMinutes(2), default));
        Assert.False(await Store.TryClaimUntoldAsync(dispute.Id, LongAgo, later.AddMinutes(2), Lease, default));
    }

    [Fact]
    public async Task A_dispute_left_open_past_the_window_closes_as_expired_for_its_candidate_to_hear_and_goes_once_told()
    {
        var expired = SampleDisputes.Dispute("cand-1", "f-1", Start);
        var fresh = SampleDisputes.Dispute("cand-2", "f-2", Start.AddDays(1));
        await Store.OpenAsync(expired, default);
        await Store.OpenAsync(fresh, default);
        await VoteAsync(expired.Id, "voter-1", 3);
        var windowStart = Start.AddHours(12);

        Assert.Equal(expired.Id, Assert.Single(await Store.RaisedByAsync("cand-1", default)).Dispute.Id);
        Assert.False(await Store.ToldAsync(fresh.Id, default));
        Assert.Equal([expired.Id], await Store.ClaimUntoldAsync(windowStart, Start.AddDays(2), Lease, 10, default));
        Assert.True(await Store.ToldAsync(expired.Id, default));

        Assert.Null(await Store.FindAsync(expired.Id, default));
        Assert.Empty(await Store.RaisedByAsync("cand-1", default));
        Assert.Equal(VoteOutcome.Unknown, (await VoteAsync(expired.Id, "voter-2", 3)).Outcome);
        Assert.NotNull(await Store.FindAsync(fresh.Id, default));
        Assert.Empty(await Store.SettledAsync(default));
    }

    [Fact]
    public async Task Claims_take_at_most_the_batch_and_the_rest_wait_for_the_next_pass()
    {
        var first = await SettledAsync("cand-1", "f-1");
        var second = await SettledAsync("cand-2", "f-2");
        var now = Start.AddHours(2);

        var one = Assert.Single(await Store.ClaimUntoldAsync(LongAgo, now, Lease, 1, default));
        var other = Assert.Single(await Store.ClaimUntoldAsync(LongAgo, now, Lease, 1, default));

        Assert.Equal(new[] { first.Id, second.Id }.Order(), new[] { one, other }.Order());
    }

    [Fact]
    public async Task Forgetting_a_candidate_whose_outcome_is_untold_leaves_nothing_to_claim_or_tell()
    {
        var dispute = await SettledAsync();

        Assert.Equal(1, await Store.ForgetAsync("cand-1", default));

        Assert.Empty(await Store.ClaimUntoldAsync(LongAgo, Start.AddHours(2), Lease, 10, default));
        Assert.False(await Store.TryClaimUntoldAsync(dispute.Id, LongAgo, Start.AddHours(2), Lease, default));
        Assert.False(await Store.ToldAsync(dispute.Id, default));
        Assert.Empty(await Store.RaisedByAsync("cand-1", default));
    }

    [Fact]
    public async Task A_settling_vote_racing_its_candidates_forget_me_never_throws_and_leaves_nothing_of_them()
    {
        for (var round = 0; round < 15; round++)
        {
            var candidate = $"cand-{round}";
            var dispute = SampleDisputes.Dispute(candidate, $"f-{round}");
            await Store.OpenAsync(dispute, default);
            await VoteAsync(dispute.Id, "voter-1", 2);
            await VoteAsync(dispute.Id, "voter-2", 3);

            var vote = Task.Run(() => VoteAsync(dispute.Id, "voter-3", 4));
            var forget = Task.Run(() => Store.ForgetAsync(candidate, default));
            var receipt = await vote;
            await forget;

            Assert.Contains(receipt.Outcome, new[] { VoteOutcome.Settled, VoteOutcome.Unknown });
            Assert.Null(await Store.FindAsync(dispute.Id, default));
            Assert.Empty(await Store.RaisedByAsync(candidate, default));
        }

        Assert.Empty(await Store.SettledAsync(default));
    }
}
