using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>
/// A store gives the session it wrote last for the next write without reading it back, and that write is refused when
/// anyone has written the session since: another process, or the same version again after a failover lost this one.
/// </summary>
[Collection(nameof(RedisCollection))]
public sealed class RedisWritesFromKeptSessionsTests(RedisFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly SessionStoreOptions _options = new();
    private ConnectionMultiplexer _redis = null!;
    private RedisSessionStore _store = null!;

    public async Task InitializeAsync() => (_redis, _store) = await RedisFixture.OpenStoreAsync(fixture.Server, _options, _time, _prefix);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private IDatabase Db => _redis.GetDatabase();

    private RedisKey SessionKey => _redis.GetServer(fixture.Server.Endpoint).Keys(pattern: $"{{{_prefix}:*:session:c-1").Single();

    [Fact]
    public async Task The_session_this_process_wrote_last_is_given_for_a_write_without_reading_redis_and_a_write_from_it_finds_it_gone()
    {
        await _store.WriteAsync(new SessionWrite(Session(), 0), default);
        await Db.KeyDeleteAsync(SessionKey);

        var found = await _store.FindActiveForWriteAsync("c-1", default);
        var write = await _store.WriteAsync(new SessionWrite(Session(current: 1), found!.Version), default);

        Assert.Equal((1L, true), (found.Version, found.Unconfirmed));
        Assert.Equal(WriteOutcome.Conflict, write.Outcome);
        Assert.Null(await _store.FindActiveAsync("c-1", default));
    }

    [Fact]
    public async Task A_write_from_the_kept_session_after_another_process_wrote_is_refused_and_leaves_that_write_in_place()
    {
        await _store.WriteAsync(new SessionWrite(Session(), 0), default);
        var other = RedisFixture.Store(_redis, _options, _time, _prefix);
        await other.WriteAsync(new SessionWrite(Session(current: 2), (await other.FindActiveAsync("c-1", default))!.Version), default);

        var found = await _store.FindActiveForWriteAsync("c-1", default);
        var write = await _store.WriteAsync(new SessionWrite(Session(current: 1), found!.Version), default);

        Assert.Equal((WriteOutcome.Conflict, 2L, 0), (write.Outcome, write.Version, _store.SessionsKept));
        Assert.Equal(2, (await _store.FindActiveAsync("c-1", default))?.Session.Current.QuestionIndex);
    }

    [Fact]
    public async Task A_write_from_the_kept_session_is_refused_when_a_failover_lost_it_and_another_process_wrote_the_same_version()
    {
        await _store.WriteAsync(new SessionWrite(Session(), 0), default);
        var key = SessionKey;
        var beforeLoss = await Db.KeyDumpAsync(key);
        await _store.WriteAsync(new SessionWrite(Session(current: 1), 1), default);

        // The promoted replica never had version 2; another process then writes its own version 2.
        await Db.KeyDeleteAsync(key);
        await Db.KeyRestoreAsync(key, beforeLoss!);
        var other = RedisFixture.Store(_redis, _options, _time, _prefix);
        Assert.Equal(WriteOutcome.Saved, (await other.WriteAsync(new SessionWrite(Session(current: 2), (await other.FindActiveAsync("c-1", default))!.Version), default)).Outcome);

        var found = await _store.FindActiveForWriteAsync("c-1", default);
        var write = await _store.WriteAsync(new SessionWrite(Session(current: 1) with { EndRequested = true }, found!.Version), default);

        Assert.Equal((2L, 1), (found.Version, found.Session.Current.QuestionIndex));
        Assert.Equal(WriteOutcome.Conflict, write.Outcome);
        var stored = await _store.FindActiveAsync("c-1", default);
        Assert.Equal((2L, 2, false), (stored?.Version, stored?.Session.Current.QuestionIndex, stored?.Session.EndRequested));
    }

    [Fact]
    public async Task A_write_from_the_kept_session_when_nothing_came_between_is_saved_and_the_next_one_too()
    {
        await _store.WriteAsync(new SessionWrite(Session(), 0), default);

        var first = await _store.FindActiveForWriteAsync("c-1", default);
        var saved = await _store.WriteAsync(new SessionWrite(Session(current: 1), first!.Version), default);
        var second = await _store.FindActiveForWriteAsync("c-1", default);
        var savedAgain = await _store.WriteAsync(new SessionWrite(Session(current: 2), second!.Version), default);

        Assert.Equal((WriteOutcome.Saved, 2L, WriteOutcome.Saved, 3L), (saved.Outcome, saved.Version, savedAgain.Outcome, savedAgain.Version));
        Assert.Equal((2L, 1, true), (second.Version, second.Session.Current.QuestionIndex, second.Unconfirmed));
    }

    [Fact]
    public async Task A_session_whose_job_this_process_took_and_saved_is_given_for_the_next_write_and_that_write_is_saved()
    {
        await _store.WriteAsync(new SessionWrite(Session(SessionPhase.Judging), 0, Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);
        var taken = Assert.Single(await _store.TakeAsync("w", 10, default));
        await _store.WriteAsync(new SessionWrite(Session(current: 1), taken.Session!.Version), default);

        var found = await _store.FindActiveForWriteAsync("c-1", default);
        var write = await _store.WriteAsync(new SessionWrite(Session(current: 2), found!.Version), default);

        Assert.Equal((true, WriteOutcome.Saved), (found.Unconfirmed, write.Outcome));
    }

    [Fact]
    public async Task A_session_awaiting_its_judgement_is_read_for_a_write_since_its_judgement_may_be_saved_elsewhere()
    {
        await _store.WriteAsync(new SessionWrite(Session(SessionPhase.Judging), 0, Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);
        var worker = RedisFixture.Store(_redis, _options, _time, _prefix);
        await worker.WriteAsync(new SessionWrite(Session(current: 1), 1), default);

        var found = await _store.FindActiveForWriteAsync("c-1", default);

        Assert.Equal((2L, 1, false), (found?.Version, found?.Session.Current.QuestionIndex, found?.Unconfirmed));
    }

    [Fact]
    public async Task A_session_this_process_only_read_is_read_again_for_a_write()
    {
        await RedisFixture.Store(_redis, _options, _time, _prefix).WriteAsync(new SessionWrite(Session(), 0), default);
        await _store.FindActiveAsync("c-1", default);

        var found = await _store.FindActiveForWriteAsync("c-1", default);

        Assert.Equal((1L, false), (found?.Version, found?.Unconfirmed));
    }

    private static InterviewSession Session(SessionPhase phase = SessionPhase.AwaitingAnswer, int current = 0) =>
        SampleSessions.Theory(Start, phase: phase, current: current);
}
