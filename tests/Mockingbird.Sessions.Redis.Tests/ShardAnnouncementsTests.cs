using Microsoft.Extensions.Time.Testing;

namespace Mockingbird.Sessions.Redis.Tests;

public sealed class ShardAnnouncementsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_001_000));

    [Fact]
    public void Shards_are_handed_out_by_the_age_of_their_oldest_announced_job_not_by_their_number()
    {
        var announcements = new ShardAnnouncements(4, _time);
        announcements.Announce(2, "1800000000500-0");
        announcements.Announce(3, "1800000000100-7");
        announcements.Announce(0, "1800000000100-9");
        announcements.Announce(3, "1800000000900-0");

        Assert.Equal([3, 0, 2], announcements.Take());
        Assert.Empty(announcements.Take());
    }

    [Fact]
    public void A_shard_taken_from_in_part_is_next_ordered_by_its_oldest_job_still_waiting()
    {
        var announcements = new ShardAnnouncements(2, _time);
        announcements.Announce(0, "1800000000100-0");
        announcements.Announce(0, "1800000000300-0");
        announcements.Announce(1, "1800000000200-0");
        Assert.Equal([0, 1], announcements.Take());

        // The take from shard 0 got all it asked for, up to its first job; shard 1 was not reached.
        announcements.Taken(0, "1800000000100-0", drained: false);
        announcements.StillWaiting(0);
        announcements.StillWaiting(1);

        Assert.Equal([1, 0], announcements.Take());
    }

    [Fact]
    public void A_take_that_returns_a_later_job_than_those_announced_drops_them_as_taken_by_another_worker()
    {
        var announcements = new ShardAnnouncements(2, _time);
        announcements.Announce(0, "1800000000100-0");
        announcements.Announce(1, "1800000000200-0");
        announcements.Announce(0, "1800000000300-0");
        announcements.Take();

        announcements.Taken(0, "1800000000250-0", drained: false);
        announcements.StillWaiting(0);
        announcements.StillWaiting(1);

        Assert.Equal([1, 0], announcements.Take());
    }

    [Fact]
    public void A_drained_shard_forgets_every_job_announced_before_the_take()
    {
        var announcements = new ShardAnnouncements(2, _time);
        announcements.Announce(0, "1800000000100-0");
        announcements.Announce(0, "1800000000150-0");
        announcements.Take();
        announcements.Taken(0, null, drained: true);

        announcements.Announce(1, "1800000000200-0");
        announcements.Announce(0, "1800000000300-0");

        Assert.Equal([1, 0], announcements.Take());
    }

    [Fact]
    public void A_job_announced_while_a_take_drained_its_shard_is_still_remembered_by_its_age()
    {
        var announcements = new ShardAnnouncements(2, _time);
        announcements.Announce(1, "1800000000100-0");
        announcements.Take();

        // The take read the shard up to its first job; a job queued just after was announced before the take returned.
        announcements.Announce(1, "1800000000300-0");
        announcements.Taken(1, "1800000000100-0", drained: true);
        announcements.Announce(0, "1800000000350-0");

        Assert.Equal([1, 0], announcements.Take());
    }

    [Fact]
    public void Shards_that_may_hold_jobs_from_before_the_subscription_go_first()
    {
        var announcements = new ShardAnnouncements(3, _time);
        announcements.Announce(1, "1800000000100-0");
        announcements.StillWaiting(2, beforeAny: true);

        Assert.Equal([2, 1], announcements.Take());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("-5")]
    [InlineData("12x-1")]
    public void An_announcement_without_an_entry_id_counts_as_a_job_queued_when_it_was_heard(string? payload)
    {
        var announcements = new ShardAnnouncements(2, _time);
        announcements.Announce(0, payload);
        announcements.Announce(1, "1799999999999-0");

        Assert.Equal([1, 0], announcements.Take());
        Assert.Equal(2, announcements.Heard);
    }

    [Fact]
    public void Jobs_past_the_bound_of_remembered_ids_keep_their_age_from_the_last_entry_taken_before_them()
    {
        var announcements = new ShardAnnouncements(2, _time);
        for (var n = 0; n < ShardAnnouncements.MostRemembered + 10; n++)
        {
            announcements.Announce(0, $"{1_800_000_000_000 + n}-0");
        }

        announcements.Take();
        announcements.Taken(0, $"{1_800_000_000_000 + ShardAnnouncements.MostRemembered - 1}-0", drained: false);
        announcements.StillWaiting(0);
        announcements.Announce(1, $"{1_800_000_000_000 + ShardAnnouncements.MostRemembered + 100}-0");

        Assert.Equal([0, 1], announcements.Take());
    }

    [Fact]
    public void A_shard_whose_one_announcement_stood_for_many_jobs_keeps_its_age_while_it_is_passed_over()
    {
        // A round closing with many answers queues them all under one announcement.
        var announcements = new ShardAnnouncements(3, _time);
        announcements.Announce(0, "1800000000100-0");
        announcements.Announce(1, "1800000000200-0");
        Assert.Equal([0, 1], announcements.Take());
        announcements.Taken(0, "1800000000100-0", drained: false);
        announcements.StillWaiting(0);
        announcements.StillWaiting(1);

        for (var take = 0; take < 3; take++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            announcements.Announce(2, $"{1_800_000_001_000 + (take * 1000)}-0");
            var order = announcements.Take();
            Assert.Equal(0, order[0]);
            foreach (var shard in order)
            {
                announcements.StillWaiting(shard);
            }
        }
    }

    [Fact]
    public async Task A_wait_ends_when_a_shard_is_announced_and_not_before()
    {
        var announcements = new ShardAnnouncements(2, _time);
        var waiting = announcements.WaitAsync(default);
        Assert.False(waiting.IsCompleted);

        announcements.Announce(1, "1800000000001-0");

        await waiting;
        Assert.True(announcements.WaitAsync(default).IsCompleted, "a shard stays announced until taken from");
    }
}
