using Mockingbird.Drills;
using Xunit;

namespace Mockingbird.Testing;

/// <summary>The behaviour every drill store must have; the in-memory and the Redis store each run this same suite.</summary>
public abstract class DrillStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected IDrillStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fresh, empty store.</summary>
    protected abstract Task<IDrillStore> CreateAsync();

    protected static DrillPlan Plan(string candidateId = "c-1") => DrillPlan.New(candidateId) with
    {
        On = true,
        TimeZone = "Europe/Berlin",
        Dimensions = [new DrilledDimension("depth", 2, Now, Now - TimeSpan.FromDays(3), 1, false)],
        Sent = [new SentDrill("depth@1", "depth", "q-1", Now - TimeSpan.FromDays(3), true)],
        Answers = [new DrillAnswer("depth@1", "depth", 3.25, Now - TimeSpan.FromDays(2))],
    };

    [Fact]
    public async Task A_candidate_never_saved_has_no_plan_and_nobody_is_due()
    {
        Assert.Null(await Store.FindAsync("c-1", default));
        Assert.Null(await Store.NextDueAsync(default));
        Assert.Empty(await Store.ClaimDueAsync(Now, Lease, 10, default));
    }

    [Fact]
    public async Task A_saved_plan_is_found_whole_at_the_next_version()
    {
        var plan = Plan();

        Assert.True(await Store.SaveAsync(plan, 0, Now, default));
        var found = await Store.FindAsync("c-1", default);

        Assert.NotNull(found);
        Assert.Equal(1, found.Version);
        Assert.Equal((plan.On, plan.TimeZone), (found.On, found.TimeZone));
        Assert.Equal(plan.Dimensions, found.Dimensions);
        Assert.Equal(plan.Sent, found.Sent);
        Assert.Equal(plan.Answers, found.Answers);
    }

    [Fact]
    public async Task A_judged_answers_score_per_dimension_is_kept_with_the_plan_and_an_answer_without_them_reads_as_none()
    {
        var scored = new DrillAnswer("depth@2", "depth", 3.5, Now, [new DrillScore("depth", 4), new DrillScore("clarity", 3)]);

        Assert.True(await Store.SaveAsync(Plan() with { Answers = [.. Plan().Answers, scored] }, 0, Now, default));
        var found = (await Store.FindAsync("c-1", default))!.Answers;

        Assert.Null(found[0].Scores);
        Assert.Equal(scored.Scores, found[1].Scores!);
    }

    [Fact]
    public async Task A_save_against_an_old_version_changes_nothing_and_says_so()
    {
        Assert.True(await Store.SaveAsync(Plan(), 0, Now, default));
        Assert.True(await Store.SaveAsync(Plan() with { On = false }, 1, null, default));

        Assert.False(await Store.SaveAsync(Plan() with { TimeZone = "UTC" }, 1, Now, default));

        var found = await Store.FindAsync("c-1", default);
        Assert.Equal((false, "Europe/Berlin", 2L), (found!.On, found.TimeZone, found.Version));
        Assert.Null(await Store.NextDueAsync(default));
    }

    [Fact]
    public async Task Of_twenty_concurrent_claims_each_due_candidate_is_claimed_once()
    {
        foreach (var candidate in Enumerable.Range(1, 5).Select(i => $"c-{i}"))
        {
            await Store.SaveAsync(Plan(candidate), 0, Now - TimeSpan.FromMinutes(1), default);
        }

        var claims = (await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Store.ClaimDueAsync(Now, Lease, 10, default)))).SelectMany(c => c).ToList();

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"c-{i}"), claims.Select(c => c.CandidateId).Order(StringComparer.Ordinal));
        Assert.All(claims, c => Assert.Equal((Now - TimeSpan.FromMinutes(1), Now + Lease), (c.DueAt, c.LeasedUntil)));
    }

    [Fact]
    public async Task A_claimed_candidate_comes_back_when_the_lease_runs_out_with_the_due_time_that_names_its_drill()
    {
        await Store.SaveAsync(Plan(), 0, Now, default);
        Assert.Single(await Store.ClaimDueAsync(Now, Lease, 10, default));

        Assert.Empty(await Store.ClaimDueAsync(Now + Lease - TimeSpan.FromMilliseconds(1), Lease, 10, default));
        Assert.Equal(Now + Lease, await Store.NextDueAsync(default));
        var again = Assert.Single(await Store.ClaimDueAsync(Now + Lease, Lease, 10, default));

        Assert.Equal(new DrillClaim("c-1", Now, Now + Lease + Lease), again);
    }

    [Fact]
    public async Task A_candidate_is_not_claimed_before_their_due_time_and_claims_come_earliest_first_up_to_the_limit()
    {
        await Store.SaveAsync(Plan("late"), 0, Now + TimeSpan.FromHours(1), default);
        await Store.SaveAsync(Plan("second"), 0, Now - TimeSpan.FromMinutes(1), default);
        await Store.SaveAsync(Plan("first"), 0, Now - TimeSpan.FromMinutes(2), default);
        await Store.SaveAsync(Plan("third"), 0, Now, default);

        var claims = await Store.ClaimDueAsync(Now, Lease, 2, default);

        Assert.Equal(["first", "second"], claims.Select(c => c.CandidateId));
        Assert.Equal("third", Assert.Single(await Store.ClaimDueAsync(Now, Lease, 10, default)).CandidateId);
        // The claims' leases run out before the late candidate falls due.
        Assert.Equal(Now + Lease, await Store.NextDueAsync(default));
    }

    [Fact]
    public async Task Saving_a_claimed_candidate_ends_the_claim_at_the_new_due_time_and_saving_with_none_takes_them_out()
    {
        await Store.SaveAsync(Plan(), 0, Now, default);
        Assert.Single(await Store.ClaimDueAsync(Now, Lease, 10, default));

        Assert.True(await Store.SaveAsync(Plan(), 1, Now + TimeSpan.FromDays(1), default));
        Assert.Equal(Now + TimeSpan.FromDays(1), await Store.NextDueAsync(default));
        Assert.Equal(Now + TimeSpan.FromDays(1), Assert.Single(await Store.ClaimDueAsync(Now + TimeSpan.FromDays(1), Lease, 10, default)).DueAt);

        Assert.True(await Store.SaveAsync(Plan() with { On = false }, 2, null, default));
        Assert.Null(await Store.NextDueAsync(default));
        Assert.Empty(await Store.ClaimDueAsync(Now + TimeSpan.FromDays(30), Lease, 10, default));
    }

    [Fact]
    public async Task Forget_deletes_the_plan_and_its_place_in_the_index_and_leaves_other_candidates()
    {
        await Store.SaveAsync(Plan("c-1"), 0, Now, default);
        await Store.SaveAsync(Plan("c-2"), 0, Now + TimeSpan.FromHours(1), default);

        Assert.True(await Store.ForgetAsync("c-1", default));
        Assert.False(await Store.ForgetAsync("c-1", default));

        Assert.Null(await Store.FindAsync("c-1", default));
        Assert.NotNull(await Store.FindAsync("c-2", default));
        Assert.Equal(Now + TimeSpan.FromHours(1), await Store.NextDueAsync(default));
        Assert.True(await Store.SaveAsync(Plan("c-1"), 0, null, default));
    }

    [Fact]
    public async Task An_answer_is_kept_once_a_retried_submission_keeps_the_first_and_a_dropped_one_is_gone()
    {
        var job = DrillAnswerJudging.JobFor("c-1", "depth@1");

        Assert.True(await Store.SubmitAnswerAsync("c-1", "depth@1", "first", job, default));
        Assert.False(await Store.SubmitAnswerAsync("c-1", "depth@1", "second", job, default));
        Assert.Equal("first", await Store.FindAnswerAsync("c-1", "depth@1", default));
        Assert.Null(await Store.FindAnswerAsync("c-2", "depth@1", default));

        await Store.DropAnswerAsync("c-1", "depth@1", default);
        Assert.Null(await Store.FindAnswerAsync("c-1", "depth@1", default));
    }

    [Fact]
    public async Task Forgetting_a_candidate_deletes_their_answers_waiting_to_be_judged()
    {
        Assert.True(await Store.SubmitAnswerAsync("c-1", "depth@1", "an answer", DrillAnswerJudging.JobFor("c-1", "depth@1"), default));

        Assert.True(await Store.ForgetAsync("c-1", default));

        Assert.Null(await Store.FindAnswerAsync("c-1", "depth@1", default));
    }
}
