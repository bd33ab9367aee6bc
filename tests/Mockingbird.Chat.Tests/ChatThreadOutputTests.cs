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
    private static readonly TimeSpan Retention = new SessionStoreOptions().ThreadRetention;

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryInterviewThreads _store;
    private readonly FlakyThreads _threads;
    private readonly InterviewThreadCache _known;

    public ChatThreadOutputTests()
    {
        _store = new InMemoryInterviewThreads(Options.Create(new SessionStoreOptions()), _time);
        _threads = new FlakyThreads(_store);
        _known = InterviewThreadCache.ForRetention(_time, Retention);
    }

    [Fact]
    public async Task An_interviews_deliveries_go_where_its_thread_was_found_without_asking_the_store_again()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        var output = new PartsOutput(_threads, _known);

        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("one")], "s1:1", CancellationToken.None);
        _threads.Down = true;
        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("two")], "s1:2", CancellationToken.None);

        Assert.Equal(["t1 s1:1#0 one", "t1 s1:2#0 two"], output.Posted);
        Assert.Equal(1, _threads.Finds);
    }

    [Fact]
    public async Task Another_interview_of_the_same_candidate_looks_its_thread_up()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        var output = new PartsOutput(_threads, _known);
        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("one")], "s1:1", CancellationToken.None);

        await _threads.SetAsync("c1", "t2", CancellationToken.None);
        await output.DeliverToInterviewAsync("c1", "s2", [new PostNotice("two")], "s2:1", CancellationToken.None);

        Assert.Equal(["t1 s1:1#0 one", "t2 s2:1#0 two"], output.Posted);
    }

    [Fact]
    public async Task An_interviews_thread_is_looked_up_again_once_a_tenth_of_the_retention_has_passed()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        var output = new PartsOutput(_threads, _known);
        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("one")], "s1:1", CancellationToken.None);
        _time.Advance(Retention / 10 - TimeSpan.FromSeconds(1));
        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("two")], "s1:2", CancellationToken.None);
        Assert.Equal(1, _threads.Finds);

        _time.Advance(TimeSpan.FromSeconds(1));
        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("three")], "s1:3", CancellationToken.None);

        Assert.Equal(2, _threads.Finds);
    }

    [Fact]
    public async Task A_delivery_whose_known_thread_was_deleted_after_a_resume_elsewhere_goes_at_once_to_the_new_thread()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        var output = new PartsOutput(_threads, _known);
        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("one")], "s1:1", CancellationToken.None);
        output.Gone.Add("t1");
        await _threads.SetAsync("c1", "t2", CancellationToken.None);

        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("two")], "s1:2", CancellationToken.None);
        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("three")], "s1:3", CancellationToken.None);

        Assert.Equal(["t1 s1:1#0 one", "t2 s1:2#0 two", "t2 s1:3#0 three"], output.Posted);
        Assert.Equal(2, _threads.Finds);
    }

    [Fact]
    public async Task A_delivery_whose_known_thread_was_deleted_with_nowhere_else_to_post_lets_the_thread_go_and_posts_nothing()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        var output = new PartsOutput(_threads, _known);
        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("one")], "s1:1", CancellationToken.None);
        output.Gone.Add("t1");

        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("two")], "s1:2", CancellationToken.None);

        Assert.Equal(["t1 s1:1#0 one"], output.Posted);
        Assert.Null(await _threads.FindAsync("c1", CancellationToken.None));
    }

    [Fact]
    public async Task Once_its_scorecard_is_posted_an_interview_has_nowhere_more_to_post()
    {
        await _threads.SetAsync("c1", "t1", CancellationToken.None);
        var output = new PartsOutput(_threads, _known);
        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("done"), new PostScorecard(Card)], "s1:8", CancellationToken.None);

        await output.DeliverToInterviewAsync("c1", "s1", [new PostNotice("late")], "s1:9", CancellationToken.None);

        Assert.Equal(["t1 s1:8#0 done"], output.Posted);
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
        : ChatThreadOutput<string>(threads, NullLogger.Instance, known ?? InterviewThreadCache.ForRetention(new FakeTimeProvider(), Retention))
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
