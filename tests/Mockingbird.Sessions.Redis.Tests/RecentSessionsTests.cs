using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Sessions.Redis.Tests;

public sealed class RecentSessionsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan TurnOver = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public void A_kept_session_is_found_only_for_the_very_value_it_was_kept_with()
    {
        using var recent = Recent(4);
        var session = Session("c-1");
        recent.Keep("c-1", [1, 2, 3], session);

        Assert.Same(session, recent.Find("c-1", [1, 2, 3]));
        Assert.Null(recent.Find("c-1", [1, 2, 4]));
        Assert.Null(recent.Find("c-1", [1, 2]));
        Assert.Null(recent.Find("c-2", [1, 2, 3]));
    }

    [Fact]
    public void Keeping_a_candidates_session_again_replaces_the_one_kept_before()
    {
        using var recent = Recent(4);
        recent.Keep("c-1", [1], Session("c-1"));
        var newer = Session("c-1") with { EndRequested = true };

        recent.Keep("c-1", [2], newer);

        Assert.Null(recent.Find("c-1", [1]));
        Assert.Same(newer, recent.Find("c-1", [2]));
        Assert.Equal(1, recent.Count);
    }

    [Fact]
    public void Sessions_read_since_the_last_turnover_stay_and_one_left_unread_for_two_turnovers_is_let_go()
    {
        using var recent = Recent(4);
        recent.Keep("read", [1], Session("read"));
        recent.Keep("quiet", [1], Session("quiet"));

        // The newer half is full: this starts a new one, the first two now in the older.
        recent.Keep("c-3", [1], Session("c-3"));
        Assert.NotNull(recent.Find("read", [1]));

        // Full again: the older half, with "quiet" in it, is dropped; "read" moved to the newer when it was found.
        recent.Keep("c-4", [1], Session("c-4"));

        Assert.NotNull(recent.Find("read", [1]));
        Assert.Null(recent.Find("quiet", [1]));
        Assert.InRange(recent.Count, 1, 4);
    }

    [Fact]
    public void Looking_up_a_value_that_is_no_longer_current_pushes_no_other_session_out()
    {
        using var recent = Recent(4);
        recent.Keep("stale", [1], Session("stale"));
        recent.Keep("other", [1], Session("other"));
        recent.Keep("c-3", [1], Session("c-3"));

        Assert.Null(recent.Find("stale", [2]));
        recent.Keep("c-4", [1], Session("c-4"));

        Assert.NotNull(recent.Find("other", [1]));
    }

    [Fact]
    public void A_value_larger_than_the_largest_kept_is_not_kept_and_drops_the_one_kept_before()
    {
        using var recent = Recent(4);
        recent.Keep("c-1", [1], Session("c-1"));

        recent.Keep("c-1", new byte[RecentSessions.LargestKept + 1], Session("c-1"));

        Assert.Null(recent.Find("c-1", new byte[RecentSessions.LargestKept + 1]));
        Assert.Equal(0, recent.Count);
    }

    [Fact]
    public void However_many_candidates_come_no_more_sessions_are_kept_than_the_capacity()
    {
        using var recent = Recent(6);

        for (var i = 0; i < 100; i++)
        {
            recent.Keep($"c-{i}", [1], Session($"c-{i}"));
            Assert.InRange(recent.Count, 1, 6);
        }

        Assert.NotNull(recent.Find("c-99", [1]));
    }

    [Fact]
    public void A_forgotten_session_is_no_longer_found()
    {
        using var recent = Recent(4);
        recent.Keep("c-1", [1], Session("c-1"));

        recent.Forget("c-1");

        Assert.Null(recent.Find("c-1", [1]));
        Assert.Equal(0, recent.Count);
    }

    [Fact]
    public void A_session_neither_read_nor_written_for_two_turnovers_is_let_go_however_few_candidates_there_are()
    {
        using var recent = Recent(100);
        recent.Keep("quiet", [1], Session("quiet"));
        recent.Keep("busy", [1], Session("busy"));

        _time.Advance(TurnOver);
        Assert.NotNull(recent.Find("busy", [1]));
        _time.Advance(TurnOver);

        Assert.NotNull(recent.Find("busy", [1]));
        Assert.Null(recent.Find("quiet", [1]));
        Assert.Equal(1, recent.Count);
    }

    [Fact]
    public void A_session_kept_just_before_a_turnover_is_still_found_a_whole_turnover_later()
    {
        using var recent = Recent(100);
        _time.Advance(TurnOver - TimeSpan.FromSeconds(1));
        recent.Keep("c-1", [1], Session("c-1"));

        _time.Advance(TurnOver);

        Assert.NotNull(recent.Find("c-1", [1]));
    }

    private RecentSessions Recent(int capacity) => new(capacity, TurnOver, _time);

    private static InterviewSession Session(string candidate) => SampleSessions.Theory(Start, candidate);
}
