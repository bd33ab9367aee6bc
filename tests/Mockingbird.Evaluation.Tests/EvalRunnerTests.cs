using Mockingbird.Interview.Judging;
using Mockingbird.Judging.Rubric;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Evaluation.Tests;

public sealed class EvalRunnerTests
{
    private static readonly EvalSet Fixture = EvalSetLoader.Check(EvalSetLoaderTests.FixtureDirectory, QuestionBankLoader.Load(RepositoryPaths.QuestionBank)).Set!;

    [Fact]
    public async Task Judges_at_most_the_given_number_of_answers_at_once_and_keeps_the_sets_order()
    {
        var judge = new GatedJudge();
        var run = EvalRunner.RunAsync(Fixture, judge, parallelism: 3);

        await Poll.UntilAsync(() => judge.InFlight == 3, "three answers being judged at once");
        judge.Open();
        var results = await run;

        Assert.Equal(3, judge.MostInFlight);
        Assert.Equal(Fixture.Cases.SelectMany(c => c.Answers.Select(a => (double)a.Band)), results.Select(r => r.Total));
        Assert.Equal(Fixture.Cases.SelectMany(c => c.Answers.Select(a => a.Kind)), results.Select(r => r.Kind));
    }

    [Fact]
    public async Task Answers_the_llm_judge_left_to_its_offline_fallback_are_counted_apart()
    {
        var results = await EvalRunner.RunAsync(Fixture, new FallingBackJudge());

        Assert.Equal(results.Count, EvalReport.From("llm", results).Fallbacks);
    }

    [Fact]
    public async Task The_offline_judge_ranks_the_fixtures_strong_answers_above_their_weak_ones()
    {
        var report = EvalReport.From("offline", await EvalRunner.RunAsync(Fixture, new RubricJudge()));

        Assert.Equal(2, report.Overall.Questions);
        Assert.Equal(12, report.Overall.Answers);
        Assert.Equal(1.0, report.Overall.StrongAboveWeak);
        Assert.Equal(["theory", "ml-coding"], report.Stages.Select(s => s.Scope));
        Assert.Contains("strong>weak", report.ToTable(), StringComparison.Ordinal);
    }

    /// <summary>Holds every answer until opened, and scores each with its expected band so order can be checked.</summary>
    private sealed class GatedJudge : IAnswerJudge
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _most;

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MostInFlight => Volatile.Read(ref _most);

        public void Open() => _gate.TrySetResult();

        public async Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }

            await _gate.Task;
            Interlocked.Decrement(ref _inFlight);
            var band = Fixture.Cases.Single(c => c.Question.Id == request.Question.Id).Answers.Single(a => a.Text == request.Answer).Band;
            return Feedback(request, band, source: null);
        }
    }

    private sealed class FallingBackJudge : IAnswerJudge
    {
        public Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(Feedback(request, 2, new FeedbackSource("offline-fallback")));
    }

    private static Feedback Feedback(JudgeRequest request, double total, FeedbackSource? source) =>
        new(request.Question.Id, "test", "test", [], [], [], total, [], [], "nothing", Source: source);
}
