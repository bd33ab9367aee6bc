using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Threads;

namespace Mockingbird.Chat.Tests;

public sealed class InterviewThreadCacheTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    private readonly FakeTimeProvider _time = new();
    private readonly InterviewThreadCache _known;

    public InterviewThreadCacheTests() => _known = InterviewThreadCache.ForRetention(_time, Retention);

    [Fact]
    public void Whose_thread_it_is_stays_known_until_the_thread_is_forgotten()
    {
        _known.Learn("c1", "t1");
        _known.Learn("c1", "t2");
        _time.Advance(Retention * 2);

        _known.Forget("t1");

        Assert.Null(_known.CandidateOf("t1"));
        Assert.Equal("c1", _known.CandidateOf("t2"));
    }

    [Fact]
    public void A_thread_is_due_for_a_lookup_a_tenth_of_the_retention_after_it_was_learnt_and_not_again_until_a_tenth_after_it_is_learnt_anew()
    {
        _known.Learn("c1", "t1");
        _time.Advance(Retention / 10 - TimeSpan.FromSeconds(1));
        Assert.False(_known.DueForLookup("t1"));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_known.DueForLookup("t1"));
        Assert.False(_known.DueForLookup("never-learnt"));

        _known.Learn("c1", "t1");
        Assert.False(_known.DueForLookup("t1"));
    }

    [Fact]
    public void Forgetting_a_candidate_forgets_every_thread_of_theirs_and_nobody_elses()
    {
        _known.Learn("c1", "t1");
        _known.Learn("c1", "t2");
        _known.Learn("c2", "t3");

        _known.ForgetCandidate("c1");

        Assert.All(["t1", "t2"], thread => Assert.Null(_known.CandidateOf(thread)));
        Assert.Equal("c2", _known.CandidateOf("t3"));
    }

    [Fact]
    public void A_full_cache_starts_again_rather_than_grow()
    {
        for (var i = 0; i < 10_000; i++)
        {
            _known.Learn("c1", $"t{i}");
        }

        _known.Learn("c2", "last");

        Assert.Null(_known.CandidateOf("t0"));
        Assert.Equal("c2", _known.CandidateOf("last"));
    }
}
