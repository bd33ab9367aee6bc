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
        recent.Keep("c-1", [1, 2, 3], session, 1);

        Assert.Same(session, recent.Find("c-1", [1, 2, 3], 1));
        Assert.Null(recent.Find("c-1", [1, 2, 4], 1));
        Assert.Null(recent.Find("c-1", [1, 2], 1));
        Assert.Null(recent.Find("c-2", [1, 2, 3], 1));
    }

    [Fact]
    public void Keeping_a_candidates_session_again_replaces_the_one_kept_before()
    {
        using var recent = Recent(4);
        recent.Keep("c-1", [1], Session("c-1"), 1);
        var newer = Session("c-1") with { EndRequested = true };

        recent.Keep("c-1", [2], newer, 1);

        Assert.Null(recent.Find("c-1", [1], 1));
        Assert.Same(newer, recent.Find("c-1", [2], 1));
        Assert.Equal(1, recent.Count);
    }

    [Fact]
    public void Sessions_read_since_the_last_turnover_stay_and_one_left_unread_for_two_turnovers_is_let_go()
    {
        using var recent = Recent(4);
        recent.Keep("read", [1], Session("read"), 1);
        recent.Keep("quiet", [1], Session("quiet"), 1);

        // The newer half is full: this starts a new one, the first two now in the older.
        recent.Keep("c-3", [1], Session("c-3"), 1);
        Assert.NotNull(recent.Find("read", [1], 1));

        // Full again: the older half, with "quiet" in it, is dropped; "read" moved to the newer when it was found.
        recent.Keep("c-4", [1], Session("c-4"), 1);

        Assert.NotNull(recent.Find("read", [1], 1));
        Assert.Null(recent.Find("quiet", [1], 1));
        Assert.InRange(recent.Count, 1, 4);
    }

    [Fact]
    public void Looking_up_a_value_that_is_no_longer_current_pushes_no_other_session_out()
    {
        using var recent = Recent(4);
        recent.Keep("stale", [1], Session("stale"), 1);
        recent.Keep("other", [1], Session("other"), 1);
        recent.Keep("c-3", [1], Session("c-3"), 1);

        Assert.Null(recent.Find("stale", [2], 1));
        recent.Keep("c-4", [1], Session("c-4"), 1);

        Assert.NotNull(recent.Find("other", [1], 1));
    }

    [Fact]
    public void A_value_larger_than_the_largest_kept_is_not_kept_and_drops_the_one_kept_before()
    {
        using var recent = Recent(4);
        recent.Keep("c-1", [1], Session("c-1"), 1);

        recent.Keep("c-1", new byte[RecentSessions.LargestKept + 1], Session("c-1"), 1);

        Assert.Null(recent.Find("c-1", new byte[RecentSessions.LargestKept + 1], 1));
        Assert.Equal(0, recent.Count);
    }

    [Fact]
    public void However_many_candidates_come_no_more_sessions_are_kept_than_the_capacity()
    {
        using var recent = Recent(6);

        for (var i = 0; i < 100; i++)
        {
            recent.Keep($"c-{i}", [1], Session($"c-{i}"), 1);
            Assert.InRange(recent.Count, 1, 6);
        }

        Assert.NotNull(recent.Find("c-99", [1], 1));
    }

    [Fact]
    public void Only_a_session_this_process_wrote_is_given_as_written_with_the_version_and_stamp_it_was_written_with()
    {
        using var recent = Recent(4);
        var written = Session("written");
        recent.Keep("written", [1], written, 3, "stamp-a");
        recent.Keep("read", [1], Session("read"), 5);

        Assert.Equal(new WrittenSession(written, 3, "stamp-a"), recent.LastWritten("written"));
        Assert.Null(recent.LastWritten("read"));
        Assert.Null(recent.LastWritten("nobody"));
    }

    [Fact]
    public void Reading_back_the_value_this_process_wrote_keeps_it_as_written_and_the_same_bytes_at_another_version_do_not()
    {
        using var recent = Recent(4);
        recent.Keep("c-1", [1], Session("c-1"), 3, "stamp-a");

        Assert.NotNull(recent.Find("c-1", [1], 3));
        Assert.Equal("stamp-a", recent.LastWritten("c-1")?.Stamp);

        Assert.NotNull(recent.Find("c-1", [1], 4));
        Assert.Null(recent.LastWritten("c-1"));
    }

    [Fact]
    public void A_written_session_is_still_given_as_written_one_turnover_later_and_not_two()
    {
        using var recent = Recent(100);
        recent.Keep("c-1", [1], Session("c-1"), 1, "stamp-a");

        _time.Advance(TurnOver);
        Assert.NotNull(recent.LastWritten("c-1"));
        _time.Advance(TurnOver);
        Assert.NotNull(recent.LastWritten("c-1"));
        _time.Advance(TurnOver * 2);

        Assert.Null(recent.LastWritten("c-1"));
    }

    [Fact]
    public void A_forgotten_session_is_no_longer_found()
    {
        using var recent = Recent(4);
        recent.Keep("c-1", [1], Session("c-1"), 1);

        recent.Forget("c-1");

        Assert.Null(recent.Find("c-1", [1], 1));
        Assert.Equal(0, recent.Count);
    }

    [Fact]
    public void A_session_neither_read_nor_written_for_two_turnovers_is_let_go_however_few_candidates_there_are()
    {
        using var recent = Recent(100);
        recent.Keep("quiet", [1], Session("quiet"), 1);
        recent.Keep("busy", [1], Session("busy"), 1);

        _time.Advance(TurnOver);
        Assert.NotNull(recent.Find("busy", [1], 1));
        _time.Advance(TurnOver);

        Assert.NotNull(recent.Find("busy", [1], 1));
        Assert.Null(recent.Find("quiet", [1], 1));
        Assert.Equal(1, recent.Count);
    }

    [Fact]
    public void A_session_kept_just_before_a_turnover_is_still_found_a_whole_turnover_later()
    {
        using var recent = Recent(100);
        _time.Advance(TurnOver - TimeSpan.FromSeconds(1));
        recent.Keep("c-1", [1], Session("c-1"), 1);

        _time.Advance(TurnOver);

        Assert.NotNull(recent.Find("c-1", [1], 1));
    }

    private RecentSessions Recent(int capacity) => new(capacity, TurnOver, _time);

    private static InterviewSession Session(string candidate) => SampleSessions.Theory(Start, candidate);
}
