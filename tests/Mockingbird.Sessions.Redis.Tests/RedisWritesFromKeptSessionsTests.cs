using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>
/// A store gives the session it wrote last for the next write without reading it back, and that write is refused when
/// anyone has written the session since: another process, or the same version again after a failover lost this one.
/// </summary>
[Collection(nameof(RedisCollection))]
public sealed class RedisWritesFromKeptSessionsTests(RedisFixture fixture) : KeptSessionsTestBase(fixture)
{
    private IDatabase Db => Connection.GetDatabase();

    private RedisKey SessionKey => Connection.GetServer(Fixture.Server.Endpoint).Keys(pattern: $"{{{Prefix}:*:session:c-1").Single();

    [Fact]
    public async Task The_session_this_process_wrote_last_is_given_for_a_write_without_readingConnection_and_a_write_from_it_finds_it_gone()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        await Db.KeyDeleteAsync(SessionKey);

        var found = await Store.FindActiveForWriteAsync("c-1", default);
        var write = await Store.WriteAsync(new SessionWrite(Session(current: 1), found!.Version) { ExpectedStamp = found.Stamp }, default);

        Assert.Equal((1L, true), (found.Version, found.Unconfirmed));
        Assert.Equal(WriteOutcome.Conflict, write.Outcome);
        Assert.Null(await Store.FindActiveAsync("c-1", default));
    }

    [Fact]
    public async Task A_write_from_the_kept_session_after_another_process_wrote_is_refused_and_leaves_that_write_in_place()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        var other = OtherStore();
        await other.WriteAsync(new SessionWrite(Session(current: 2), (await other.FindActiveAsync("c-1", default))!.Version), default);

        var found = await Store.FindActiveForWriteAsync("c-1", default);
        var write = await Store.WriteAsync(new SessionWrite(Session(current: 1), found!.Version) { ExpectedStamp = found.Stamp }, default);

        Assert.Equal((WriteOutcome.Conflict, 2L, 0), (write.Outcome, write.Version, Store.SessionsKept));
        Assert.Equal(2, (await Store.FindActiveAsync("c-1", default))?.Session.Current.QuestionIndex);
    }

    [Fact]
    public async Task A_write_from_the_kept_session_is_refused_when_a_failover_lost_it_and_another_process_wrote_the_same_version()
    {
        var found = await GivenForAWriteThenLostInAFailoverAsync();

        var write = await Store.WriteAsync(new SessionWrite(Session(current: 1) with { EndRequested = true }, found.Version) { ExpectedStamp = found.Stamp }, default);

        Assert.Equal((2L, 1), (found.Version, found.Session.Current.QuestionIndex));
        Assert.Equal(WriteOutcome.Conflict, write.Outcome);
        var stored = await Store.FindActiveAsync("c-1", default);
        Assert.Equal((2L, 2, false), (stored?.Version, stored?.Session.Current.QuestionIndex, stored?.Session.EndRequested));
    }

    [Fact]
    public async Task A_write_from_a_session_given_unconfirmed_is_refused_after_a_failover_even_once_the_process_has_read_the_session_again()
    {
        var found = await GivenForAWriteThenLostInAFailoverAsync();

        // Another input in this process reads the session while the first is still deciding.
        await Store.FindActiveAsync("c-1", default);
        var write = await Store.WriteAsync(new SessionWrite(Session(current: 1) with { EndRequested = true }, found.Version) { ExpectedStamp = found.Stamp }, default);

        Assert.Equal(WriteOutcome.Conflict, write.Outcome);
        Assert.Equal(2, (await Store.FindActiveAsync("c-1", default))?.Session.Current.QuestionIndex);
    }

    [Fact]
    public async Task Answers_given_to_two_processes_in_turn_are_each_applied_once_and_in_order_to_the_session_as_it_then_is()
    {
        var first = Service(Store);
        var second = Service(OtherStore());
        await first.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 4), 3, default);

        await first.HandleAsync("c-1", new AnswerSubmitted("One: scaling keeps the softmax out of saturation."), "e-1", default);
        await second.HandleAsync("c-1", new AnswerSubmitted("Two: retrieval depth trades recall for latency."), "e-2", default);
        await first.HandleAsync("c-1", new AnswerSubmitted("Three: drift shows first in the input distribution."), "e-3", default);
        await second.HandleAsync("c-1", new AnswerSubmitted("Three: drift shows first in the input distribution."), "e-3", default);

        // Judged answers leave the session; a turn each, in order, is what is left of them.
        var turns = (await Store.FindActiveAsync("c-1", default))!.Session.Turns;
        Assert.Equal([(1, TurnOutcome.Answered), (2, TurnOutcome.Answered), (3, TurnOutcome.Answered)], turns.Select(t => (t.Number, t.Outcome)));
        Assert.All(turns, t => Assert.NotNull(t.Score));
    }

    [Fact]
    public async Task A_repeat_asked_of_the_process_that_wrote_last_after_another_moved_the_interview_on_repeats_the_prompt_now_on_screen()
    {
        var first = Service(Store);
        var second = Service(OtherStore());
        await first.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 4), 3, default);
        await first.HandleAsync("c-1", new AnswerSubmitted("One: scaling keeps the softmax out of saturation."), default);
        var next = (await second.HandleAsync("c-1", new SkipRequested(), default)).OfType<PostQuestion>().Single();

        var repeated = (await first.HandleAsync("c-1", new RepeatRequested(), default)).OfType<PostQuestion>().Single();

        Assert.Equal((next.QuestionId, next.Number, next.FollowUpNumber, true), (repeated.QuestionId, repeated.Number, repeated.FollowUpNumber, repeated.IsRepeat));
    }

    [Fact]
    public async Task A_session_edited_by_hand_with_its_stamp_removed_is_read_by_the_next_answer_of_the_process_that_wrote_it()
    {
        var service = Service(Store);
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 4), 3, default);
        var key = SessionKey;
        await Db.HashSetAsync(key, "schema", "0");
        await Db.HashDeleteAsync(key, "w");

        var reply = await service.HandleAsync("c-1", new AnswerSubmitted("One: scaling keeps the softmax out of saturation."), default);

        Assert.Contains("could not be read", Assert.IsType<PostNotice>(Assert.Single(reply)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_from_the_kept_session_when_nothing_came_between_is_saved_and_the_next_one_too()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);

        var first = await Store.FindActiveForWriteAsync("c-1", default);
        var saved = await Store.WriteAsync(new SessionWrite(Session(current: 1), first!.Version) { ExpectedStamp = first.Stamp }, default);
        var second = await Store.FindActiveForWriteAsync("c-1", default);
        var savedAgain = await Store.WriteAsync(new SessionWrite(Session(current: 2), second!.Version) { ExpectedStamp = second.Stamp }, default);

        Assert.Equal((WriteOutcome.Saved, 2L, WriteOutcome.Saved, 3L), (saved.Outcome, saved.Version, savedAgain.Outcome, savedAgain.Version));
        Assert.Equal((2L, 1, true), (second.Version, second.Session.Current.QuestionIndex, second.Unconfirmed));
    }

    [Fact]
    public async Task A_session_whose_job_this_process_took_and_saved_is_given_for_the_next_write_and_that_write_is_saved()
    {
        await Store.WriteAsync(new SessionWrite(Session(SessionPhase.Judging), 0, Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);
        var taken = Assert.Single(await Store.TakeAsync("w", 10, default));
        await Store.WriteAsync(new SessionWrite(Session(current: 1), taken.Session!.Version), default);

        var found = await Store.FindActiveForWriteAsync("c-1", default);
        var write = await Store.WriteAsync(new SessionWrite(Session(current: 2), found!.Version) { ExpectedStamp = found.Stamp }, default);

        Assert.Equal((true, WriteOutcome.Saved), (found.Unconfirmed, write.Outcome));
    }

    [Fact]
    public async Task A_session_awaiting_its_judgement_is_read_for_a_write_since_its_judgement_may_be_saved_elsewhere()
    {
        await Store.WriteAsync(new SessionWrite(Session(SessionPhase.Judging), 0, Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);
        var worker = OtherStore();
        await worker.WriteAsync(new SessionWrite(Session(current: 1), 1), default);

        var found = await Store.FindActiveForWriteAsync("c-1", default);

        Assert.Equal((2L, 1, false), (found?.Version, found?.Session.Current.QuestionIndex, found?.Unconfirmed));
    }

    [Fact]
    public async Task A_session_this_process_only_read_is_read_again_for_a_write()
    {
        await OtherStore().WriteAsync(new SessionWrite(Session(), 0), default);
        await Store.FindActiveAsync("c-1", default);

        var found = await Store.FindActiveForWriteAsync("c-1", default);

        Assert.Equal((1L, false), (found?.Version, found?.Unconfirmed));
    }

    /// <summary>
    /// This process writes versions 1 and 2 and is given version 2 for its next write; then, as after a failover whose
    /// promoted replica never had version 2, Redis holds version 1 and another process writes its own version 2.
    /// </summary>
    private async Task<VersionedSession> GivenForAWriteThenLostInAFailoverAsync()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        var key = SessionKey;
        var beforeLoss = await Db.KeyDumpAsync(key);
        await Store.WriteAsync(new SessionWrite(Session(current: 1), 1), default);
        var found = await Store.FindActiveForWriteAsync("c-1", default);

        await Db.KeyDeleteAsync(key);
        await Db.KeyRestoreAsync(key, beforeLoss!);
        var other = OtherStore();
        Assert.Equal(WriteOutcome.Saved, (await other.WriteAsync(new SessionWrite(Session(current: 2), (await other.FindActiveAsync("c-1", default))!.Version), default)).Outcome);
        return found!;
    }

    private InterviewService Service(ISessionStore store) => new(new InterviewEngine(RedisFixture.Bank), store, new RubricJudge(), Time);
}
