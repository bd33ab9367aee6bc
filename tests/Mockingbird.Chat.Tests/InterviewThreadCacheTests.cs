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
    public void A_thread_found_again_without_its_interview_keeps_the_interview_and_is_trusted_afresh()
    {
        _known.Learn("c1", "t1", "s1");
        _time.Advance(Retention / 10);
        Assert.Null(_known.InterviewIn("t1"));

        _known.Learn("c1", "t1", sessionId: null);

        Assert.Equal("s1", _known.InterviewIn("t1"));
        Assert.Equal("t1", _known.ThreadOf("c1", "s1"));
    }

    [Fact]
    public void Whose_thread_it_is_stays_known_past_the_trust_window()
    {
        _known.Learn("c1", "t1", "s1");
        _time.Advance(Retention);

        Assert.Equal("c1", _known.CandidateOf("t1"));
        Assert.Null(_known.ThreadOf("c1", "s1"));
    }

    [Fact]
    public void Forgetting_a_threads_interview_keeps_whose_thread_it_is()
    {
        _known.Learn("c1", "t1", "s1");

        _known.ForgetInterviewIn("t1");

        Assert.Equal("c1", _known.CandidateOf("t1"));
        Assert.Null(_known.InterviewIn("t1"));
        Assert.Null(_known.ThreadOf("c1", "s1"));
    }

    [Fact]
    public void An_interview_that_moved_to_a_new_thread_is_posted_there_and_forgetting_the_old_thread_keeps_the_new_one()
    {
        _known.Learn("c1", "t1", "s1");
        _known.Learn("c1", "t2", "s1");
        Assert.Equal("t2", _known.ThreadOf("c1", "s1"));
        Assert.Equal("s1", _known.InterviewIn("t1"));

        _known.Forget("t1");

        Assert.Equal("t2", _known.ThreadOf("c1", "s1"));
        Assert.Null(_known.CandidateOf("t1"));
    }

    [Fact]
    public void Forgetting_a_candidate_forgets_every_thread_and_interview_of_theirs_and_nobody_elses()
    {
        _known.Learn("c1", "t1", "s1");
        _known.Learn("c1", "t2", "s1");
        _known.Learn("c1", "t3", "s2");
        _known.Learn("c2", "t4", "s3");

        _known.ForgetCandidate("c1");

        Assert.All(["t1", "t2", "t3"], thread => Assert.Null(_known.CandidateOf(thread)));
        Assert.Null(_known.ThreadOf("c1", "s1"));
        Assert.Null(_known.ThreadOf("c1", "s2"));
        Assert.Equal("t4", _known.ThreadOf("c2", "s3"));
    }
}
