using Mockingbird.Interview.Sessions;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>
/// A store keeps the sessions it last wrote or read decoded, and reuses one only when Redis holds exactly the value it
/// was kept with: what another process wrote is always read as it now is.
/// </summary>
[Collection(nameof(RedisCollection))]
public sealed class RedisDecodedSessionsTests(RedisFixture fixture) : KeptSessionsTestBase(fixture)
{
    [Fact]
    public async Task A_session_theStore_saved_is_read_back_without_being_decoded_again()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        await Store.WriteAsync(new SessionWrite(Session(current: 1), 1), default);

        var found = await Store.FindActiveAsync("c-1", default);

        Assert.Equal((2L, 1), (found?.Version, found?.Session.Current.QuestionIndex));
        Assert.Equal(0, Store.SessionsDecoded);
    }

    [Fact]
    public async Task A_taken_job_brings_the_session_the_answer_saved_without_decoding_it()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);

        var taken = Assert.Single(await Store.TakeAsync("w", 10, default));

        Assert.Equal((1L, "s-1"), (taken.Session?.Version, taken.Session?.Session.Id));
        Assert.Equal(0, Store.SessionsDecoded);
    }

    [Fact]
    public async Task A_session_another_process_saved_since_is_read_as_that_process_left_it()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        await Store.FindActiveAsync("c-1", default);
        var other = OtherStore();
        await other.WriteAsync(new SessionWrite(Session(current: 2) with { EndRequested = true }, 1), default);

        var found = await Store.FindActiveAsync("c-1", default);

        Assert.Equal((2L, 2, true), (found?.Version, found?.Session.Current.QuestionIndex, found?.Session.EndRequested));
        Assert.Equal(1, Store.SessionsDecoded);
    }

    [Fact]
    public async Task AStored_value_changed_inConnection_under_the_same_version_is_decoded_afresh()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        var key = Connection.GetServer(Fixture.Server.Endpoint).Keys(pattern: $"{{{Prefix}:*:session:c-1").Single();
        await Connection.GetDatabase().HashSetAsync(key, "data", StoredSessionCodec.Encode(Session(current: 2), new BankMarks(RedisFixture.Bank)));

        var found = await Store.FindActiveAsync("c-1", default);

        Assert.Equal((1L, 2), (found?.Version, found?.Session.Current.QuestionIndex));
        Assert.Equal(1, Store.SessionsDecoded);
    }

    [Fact]
    public async Task A_session_read_once_is_not_decoded_on_the_next_read_of_the_same_value()
    {
        await OtherStore().WriteAsync(new SessionWrite(Session(), 0), default);

        var first = await Store.FindActiveAsync("c-1", default);
        var second = await Store.FindActiveAsync("c-1", default);

        Assert.Equal(first?.Session.Id, second?.Session.Id);
        Assert.Equal(1, Store.SessionsDecoded);
    }

    [Fact]
    public async Task A_finished_interview_leaves_no_session_kept_decoded()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        Assert.Equal(1, Store.SessionsKept);

        await Store.WriteAsync(new SessionWrite(Session(phase: SessionPhase.Completed), 1), default);

        Assert.Equal(0, Store.SessionsKept);
        Assert.Null(await Store.FindActiveAsync("c-1", default));
    }

    [Fact]
    public async Task A_candidate_who_asked_to_be_forgotten_has_no_session_kept_decoded()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);

        await Store.ForgetAsync("c-1", default);

        Assert.Equal(0, Store.SessionsKept);
    }

    [Fact]
    public async Task A_session_left_alone_for_two_turnovers_is_no_longer_kept_decoded()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);

        Time.Advance(RedisSessionStore.SessionsKeptDecodedTurnOver * 2);

        Assert.Equal(0, Store.SessionsKept);
        Assert.Equal(0, (await Store.FindActiveAsync("c-1", default))?.Session.Current.QuestionIndex);
        Assert.Equal(1, Store.SessionsDecoded);
    }

    [Fact]
    public async Task A_sessionStored_larger_than_the_largest_kept_is_decoded_on_every_read()
    {
        var letters = new Random(7);
        var large = Session() with { Hints = Enumerable.Range(0, 800).ToDictionary(i => $"{i}:{new string([.. Enumerable.Range(0, 40).Select(_ => (char)letters.Next('a', 'z' + 1))])}", i => i) };
        await Store.WriteAsync(new SessionWrite(large, 0), default);

        await Store.FindActiveAsync("c-1", default);
        await Store.FindActiveAsync("c-1", default);

        Assert.InRange(StoredSessionCodec.Encode(large, new BankMarks(RedisFixture.Bank)).Length, RecentSessions.LargestKept + 1, int.MaxValue);
        Assert.Equal((0, 2L), (Store.SessionsKept, Store.SessionsDecoded));
    }
}
