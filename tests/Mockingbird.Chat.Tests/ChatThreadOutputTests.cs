using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Tests;

public sealed class ChatThreadOutputTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryInterviewThreads _store;
    private readonly FlakyThreads _threads;
    private readonly InterviewThreadCache _known;

    public ChatThreadOutputTests()
    {
        _store = new InMemoryInterviewThreads(Options.Create(new SessionStoreOptions()), _time);
        _threads = new FlakyThreads(_store);
        _known = InterviewThreadCache.ForRetention(_time, new SessionStoreOptions().ThreadRetention);
    }

    [Fact]
    public async Task A_delivery_at_its_interviews_place_is_posted_there_without_asking_the_store()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        _threads.Down = true;
        var output = new PartsOutput(_threads, _known);

        await output.DeliverAtAsync("c1", "t1", [new PostNotice("one")], "s1:1", CancellationToken.None);

        Assert.Equal(["t1 s1:1#0 one"], output.Posted);
        Assert.Equal(0, _threads.Finds);
    }

    [Fact]
    public async Task A_delivery_whose_place_was_deleted_after_a_resume_elsewhere_goes_at_once_to_the_new_thread()
    {
        await _threads.SetAsync("c1", "t2", CancellationToken.None);
        var output = new PartsOutput(_threads, _known);
        output.Gone.Add("t1");

        await output.DeliverAtAsync("c1", "t1", [new PostNotice("two")], "s1:2", CancellationToken.None);

        Assert.Equal(["t2 s1:2#0 two"], output.Posted);
        Assert.Equal("c1", _known.CandidateOf("t2"));
    }

    [Fact]
    public async Task A_delivery_whose_place_was_deleted_with_nowhere_else_to_post_lets_the_thread_go_and_posts_nothing()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        _known.Learn("c1", "t1");
        var output = new PartsOutput(_threads, _known);
        output.Gone.Add("t1");

        await output.DeliverAtAsync("c1", "t1", [new PostNotice("two")], "s1:2", CancellationToken.None);

        Assert.Empty(output.Posted);
        Assert.Null(await _threads.FindAsync("c1", CancellationToken.None));
        Assert.Null(_known.CandidateOf("t1"));
    }

    [Fact]
    public async Task A_scorecard_posted_at_its_place_lets_the_thread_go()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        _known.Learn("c1", "t1");
        var output = new PartsOutput(_threads, _known);

        await output.DeliverAtAsync("c1", "t1", [new PostNotice("done"), new PostScorecard(Card)], "s1:8", CancellationToken.None);
        await output.DeliverAsync("c1", [new PostNotice("late")], "s1:9", CancellationToken.None);

        Assert.Equal(["t1 s1:8#0 done"], output.Posted);
        Assert.Null(_known.CandidateOf("t1"));
    }

    [Fact]
    public async Task Each_part_is_posted_in_order_under_a_key_that_names_its_delivery_and_place()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        var output = new PartsOutput(_threads);

        await output.DeliverAsync("c1", [new PostNotice("one"), new PostNotice("two")], "job-7", CancellationToken.None);

        Assert.Equal(["t1 job-7#0 one", "t1 job-7#1 two"], output.Posted);
    }

    [Fact]
    public async Task A_delivery_for_a_candidate_without_a_thread_posts_nothing()
    {
        var output = new PartsOutput(_threads);

        await output.DeliverAsync("c1", [new PostNotice("one")], "job-7", CancellationToken.None);

        Assert.Empty(output.Posted);
    }

    [Fact]
    public async Task A_thread_the_platform_says_is_gone_is_forgotten_and_the_delivery_fails()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        var output = new PartsOutput(_threads) { Failure = new ThreadGoneException() };

        await Assert.ThrowsAsync<ThreadGoneException>(() => output.DeliverAsync("c1", [new PostNotice("one")], "job-7", CancellationToken.None));

        Assert.Null(await _threads.FindAsync("c1", CancellationToken.None));
    }

    [Fact]
    public async Task A_thread_found_gone_after_the_candidate_moved_on_to_a_new_one_leaves_the_new_one()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        var output = new PartsOutput(_threads) { Failure = new ThreadGoneException(), WhilePosting = () => _threads.SetAsync("c1", "t2", CancellationToken.None) };

        await Assert.ThrowsAsync<ThreadGoneException>(() => output.DeliverAsync("c1", [new PostNotice("one")], "job-7", CancellationToken.None));

        Assert.Equal("t2", await _threads.FindAsync("c1", CancellationToken.None));
    }

    [Fact]
    public async Task A_scorecard_lets_go_of_its_thread_but_not_of_one_a_new_interview_set_while_it_was_posted()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        await _threads.SetAsync("c2", "t3", CancellationToken.None);
        var output = new PartsOutput(_threads);
        var racing = new PartsOutput(_threads) { WhilePosting = () => _threads.SetAsync("c2", "t4", CancellationToken.None) };

        await output.DeliverAsync("c1", [new PostNotice("done"), new PostScorecard(Card)], "job-7", CancellationToken.None);
        await racing.DeliverAsync("c2", [new PostNotice("done"), new PostScorecard(Card)], "job-8", CancellationToken.None);

        Assert.Null(await _threads.FindAsync("c1", CancellationToken.None));
        Assert.Equal("t4", await _threads.FindAsync("c2", CancellationToken.None));
    }

    [Fact]
    public async Task Any_other_failure_keeps_the_thread()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        var output = new PartsOutput(_threads) { Failure = new TimeoutException() };

        await Assert.ThrowsAsync<TimeoutException>(() => output.DeliverAsync("c1", [new PostNotice("one")], "job-7", CancellationToken.None));

        Assert.Equal("t1", await _threads.FindAsync("c1", CancellationToken.None));
    }

    private static Scorecard Card { get; } = new("s", [], null, null, 0, ["offline-rubric"], [], EndedEarly: false);

    private sealed class ThreadGoneException : Exception;

    private sealed class PartsOutput(IInterviewThreads threads, InterviewThreadCache? known = null)
        : ChatThreadOutput<string>(threads, NullLogger.Instance, known ?? InterviewThreadCache.ForRetention(new FakeTimeProvider(), new SessionStoreOptions().ThreadRetention))
    {
        public List<string> Posted { get; } = [];

        public Exception? Failure { get; set; }

        /// <summary>Threads deleted on the platform: a post there fails as gone.</summary>
        public HashSet<string> Gone { get; } = [];

        /// <summary>Runs at the first post, as another replica would meanwhile.</summary>
        public Func<Task>? WhilePosting { get; set; }

        protected override IReadOnlyList<string> Render(IReadOnlyList<InterviewAction> actions, string deliveryKey) =>
            [.. actions.OfType<PostNotice>().Select(n => n.Text)];

        protected override IReadOnlyList<string> RenderAnswerEcho(string answer, string deliveryKey) => [answer];

        protected override async Task PostPartAsync(string thread, string part, string partKey, CancellationToken cancellationToken)
        {
            if (WhilePosting is { } meanwhile)
            {
                WhilePosting = null;
                await meanwhile();
            }

            if (Failure is not null)
            {
                throw Failure;
            }

            if (Gone.Contains(thread))
            {
                throw new ThreadGoneException();
            }

            Posted.Add($"{thread} {partKey} {part}");
        }

        protected override string? ThreadGoneReason(Exception failure) => failure is ThreadGoneException ? "gone" : null;
    }
}
