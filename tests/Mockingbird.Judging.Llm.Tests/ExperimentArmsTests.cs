using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Experiments;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Llm.Tests;

/// <summary>
/// Whole interviews through the engine, the LLM judge on the fake OpenAI server, the arm recorder and the interview
/// steps, into an in-memory experiment store: what each arm did is what the candidates in it went through.
/// </summary>
public sealed class ExperimentArmsTests : IAsyncLifetime, IDisposable
{
    private const string ExperimentId = "judge-theory-trial";
    private const string Answer = "Dot products grow with the key dimension, so without scaling the softmax saturates and its gradients vanish.";

    /// <summary>What the fake server reports for each completion it writes by itself; scripted ones report 900/600/150.</summary>
    private const int PromptTokens = 1000;
    private const int CachedTokens = 400;
    private const int CompletionTokens = 200;

    /// <summary>How long each completion the fake server writes by itself takes, on the fake clock.</summary>
    private static readonly TimeSpan CallTime = TimeSpan.FromSeconds(2);

    private readonly string _scratch = Directory.CreateTempSubdirectory("experiment-arms-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryExperimentStore _store = new();
    private FakeOpenAiServer _server = null!;
    private ServiceProvider _services = null!;
    private PromptExperiments _prompts = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync();
        _server.OtherwiseCompletion(WriteLikeAModel, PromptTokens, CachedTokens, CompletionTokens);
        var file = Path.Combine(_scratch, "experiments.yaml");
        await File.WriteAllTextAsync(file, $"""
            experiments:
              - id: {ExperimentId}
                prompt: judge-theory
                baseline: v2
                smallest_difference: 0.1
                variants:
                  - version: v2
                    weight: 50
                  - version: v3
                    weight: 50
            """);
        var (library, _) = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"));
        var (prompts, problems) = PromptExperiments.Load(file, library);
        Assert.Empty(problems);
        _prompts = prompts;

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "OpenAICompatible",
            ["Llm:Endpoint"] = _server.BaseUrl.ToString(),
            ["Llm:Model"] = "fake-model",
            ["Llm:ApiKey"] = "sk-test",
            ["Llm:MaxRetries"] = "0",
            ["Llm:BreakerMinimumThroughput"] = "1000",
            ["Prompts:Directory"] = Path.Combine(RepositoryPaths.Root, "prompts"),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(_time);
        services.AddLogging();
        services.AddRubricJudge();
        services.AddLlmJudge(configuration, _prompts);
        services.AddSingleton<IExperimentStore>(_store);
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private ExperimentDesign Design => _prompts.Designs.Single();

    private InterviewService Interviews() => new(
        new InterviewEngine(SampleQuestions.Bank()),
        new InMemorySessionStore(),
        _services.GetRequiredService<IAnswerJudge>(),
        _time,
        JudgingMode.Inline,
        _services.GetRequiredService<IFollowUpWriter>(),
        _services.GetRequiredService<IScorecardWriter>(),
        observer: _services.GetRequiredService<IInterviewObserver>());

    /// <summary>A model that follows the request (<see cref="FakeOpenAiServer.ReplyLikeAModel"/>), taking <see cref="CallTime"/> for each reply.</summary>
    private string WriteLikeAModel(JsonObject request)
    {
        _time.Advance(CallTime);
        return FakeOpenAiServer.ReplyLikeAModel(request);
    }

    private static async Task InterviewAsync(InterviewService interviews, string candidate, Action? beforeFirstAnswer = null)
    {
        await interviews.StartAsync(candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 7, default);
        beforeFirstAnswer?.Invoke();
        var first = await interviews.HandleAsync(candidate, new AnswerSubmitted(Answer), default);
        Assert.Single(first.OfType<PostFeedback>());
        var second = await interviews.HandleAsync(candidate, new AnswerSubmitted(Answer), default);
        Assert.Single(second.OfType<PostScorecard>());
    }

    [Fact]
    public async Task Each_arm_counts_its_candidates_feedbacks_tokens_latency_schema_failures_fallbacks_and_interview_steps()
    {
        var candidates = Enumerable.Range(0, 8).Select(i => $"discord:g:cand-{i}").ToList();
        var arms = candidates.ToLookup(c => ArmAssignment.Randomised(Design, c).Version);
        Assert.True(arms["v2"].Any() && arms["v3"].Any(), "the candidates must fall in both arms for the test to show anything");
        var invalid = arms["v3"].First();
        var down = arms["v2"].First();
        var interviews = Interviews();

        foreach (var candidate in candidates)
        {
            await InterviewAsync(interviews, candidate, beforeFirstAnswer: () =>
            {
                if (candidate == invalid)
                {
                    _server.ThenCompletion("this is not JSON").ThenCompletion("{\"still\": \"not the schema\"}");
                }
                else if (candidate == down)
                {
                    _server.ThenStatus(500);
                }
            });
        }

        var metrics = (await _store.MetricsAsync(ExperimentId, _time.GetUtcNow(), default)).ToDictionary(m => m.Arm);
        Assert.Equal(["v2", "v3"], metrics.Keys.Order());
        foreach (var arm in new[] { "v2", "v3" })
        {
            var inArm = arms[arm].Count();
            var m = metrics[arm];

            // Every answer is counted in its arm, the one the offline judge stood in for too (intention to treat).
            Assert.Equal((2L * inArm, 1L), (m.Feedbacks, m.Fallbacks));
            Assert.Equal(arm == "v3" ? 2 : 0, m.SchemaFailures);
            Assert.Equal((inArm, inArm, 2L * inArm, inArm), (m.Candidates, m.InterviewsStarted, m.Answers, m.InterviewsFinished));

            // The turns the model judged report the fake server's usage; the invalid replies' tokens stay in the arm,
            // the 500 spent none.
            var judgedByModel = 2L * inArm - 1;
            var scripted = arm == "v3" ? 2 : 0;
            var tokens = Assert.Single(m.Tokens);
            Assert.Equal(
                new ModelTokens("fake-model", judgedByModel * PromptTokens + scripted * 900, judgedByModel * CachedTokens + scripted * 600, judgedByModel * CompletionTokens + scripted * 150),
                tokens);

            // Each answer the model judged took one call of CallTime on the fake clock; the fallback took none.
            Assert.Equal(judgedByModel, m.Latency.Counts[LatencyHistogram.BucketOf(CallTime)]);
            Assert.Equal(1, m.Latency.Counts[LatencyHistogram.BucketOf(TimeSpan.Zero)]);
        }
    }

    [Fact]
    public async Task The_fallback_feedback_of_an_experiment_candidate_keeps_their_arm_and_the_tokens_its_failed_replies_spent()
    {
        var candidate = "discord:g:cand-1";
        _server.ThenCompletion("not JSON").ThenCompletion("not JSON either");

        var feedback = await _services.GetRequiredService<IAnswerJudge>().JudgeAsync(new JudgeRequest(SampleQuestions.Attention, null, Answer, CandidateId: candidate), default);

        Assert.Equal(
            new FeedbackSource("offline-fallback", "fake-model", Experiment: ExperimentId, Arm: ArmAssignment.Randomised(Design, candidate).Version, PromptTokens: 1800, CachedPromptTokens: 1200, CompletionTokens: 300, SchemaFailures: 2),
            feedback.Source);
    }

    [Fact]
    public async Task An_answer_judged_again_by_a_retried_job_is_recorded_once()
    {
        var judge = _services.GetRequiredService<IAnswerJudge>();
        var request = new JudgeRequest(SampleQuestions.Attention, null, Answer, CandidateId: "discord:g:cand-2");

        await judge.JudgeAsync(request, default);
        await judge.JudgeAsync(request, default);
        await judge.JudgeAsync(request with { Answer = $"{Answer} And scaling keeps the logits near unit variance." }, default);

        Assert.Equal(3, _server.Requests.Count);
        var metrics = Assert.Single(await _store.MetricsAsync(ExperimentId, _time.GetUtcNow(), default));
        Assert.Equal(2, metrics.Feedbacks);
    }

    [Fact]
    public async Task The_same_words_given_in_two_interviews_are_two_answers_and_a_retried_turn_is_still_one()
    {
        var judge = _services.GetRequiredService<IAnswerJudge>();
        var first = new JudgeRequest(SampleQuestions.Attention, null, "I don't know.", CandidateId: "discord:g:cand-2", TurnKey: "session-1:1");

        await judge.JudgeAsync(first, default);
        await judge.JudgeAsync(first, default);
        await judge.JudgeAsync(first with { TurnKey = "session-2:1" }, default);

        var metrics = Assert.Single(await _store.MetricsAsync(ExperimentId, _time.GetUtcNow(), default));
        Assert.Equal(2, metrics.Feedbacks);
    }

    [Fact]
    public async Task A_candidate_who_opted_out_is_served_the_baseline_and_counted_in_no_arm()
    {
        var candidate = Enumerable.Range(0, 50).Select(i => $"discord:g:cand-{i}").First(c => ArmAssignment.Randomised(Design, c).Version == "v3");
        await _store.SetOptedOutAsync(candidate, optedOut: true, default);
        await _prompts.Control.RefreshAsync(_store, default);

        await InterviewAsync(Interviews(), candidate);

        Assert.Empty(await _store.MetricsAsync(ExperimentId, _time.GetUtcNow(), default));
        var judgeRequests = _server.Requests.Where(r => r["response_format"]?["json_schema"] is not null).ToList();
        Assert.Equal(2, judgeRequests.Count);

        // v2 writes no follow-up, so its schema asks for none: the requests went out with the baseline's prompt.
        Assert.All(judgeRequests, r => Assert.DoesNotContain("follow_up", r["response_format"]!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_that_fails_costs_the_candidate_nothing_and_is_logged_by_its_type_alone()
    {
        var logger = new RecordingLogger<ArmRecordingJudge>();
        var judge = new ArmRecordingJudge(_services.GetRequiredService<LlmJudge>(), new FailingStore(), _time, logger);

        var feedback = await judge.JudgeAsync(new JudgeRequest(SampleQuestions.Attention, null, Answer, CandidateId: "discord:g:cand-3"), default);

        Assert.Equal("llm", feedback.Source!.JudgeKind);
        var entry = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(nameof(InvalidOperationException), entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret detail", entry.Message, StringComparison.Ordinal);
    }

    private sealed class FailingStore : IExperimentStore
    {
        private static InvalidOperationException Down() => new InvalidOperationException("secret detail of the store");

        public Task RecordAsync(JudgedTurn turn, CancellationToken cancellationToken) => throw Down();

        public Task RecordAsync(ArmVote vote, CancellationToken cancellationToken) => throw Down();

        public Task RecordAsync(Experiments.InterviewStep interviewStep, CancellationToken cancellationToken) => throw Down();

        public Task<IReadOnlyList<ArmMetrics>> MetricsAsync(string experimentId, DateTimeOffset now, CancellationToken cancellationToken) => throw Down();

        public Task<bool> AddSnapshotAsync(string experimentId, string slot, ExperimentSnapshot snapshot, CancellationToken cancellationToken) => throw Down();

        public Task<string> PinAllocationAsync(string experimentId, string allocation, CancellationToken cancellationToken) => throw Down();

        public Task<string> PinBaselineAsync(string experimentId, string baseline, CancellationToken cancellationToken) => throw Down();

        public Task<string> PinTestSettingsAsync(string experimentId, string settings, CancellationToken cancellationToken) => throw Down();

        public Task<string?> PinnedTestSettingsAsync(string experimentId, CancellationToken cancellationToken) => throw Down();

        public Task<IReadOnlyList<string>> EndedAsync(IReadOnlyCollection<string> declared, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken) => throw Down();

        public Task<int> DeleteEndedAsync(string experimentId, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken) => throw Down();

        public Task<IReadOnlyList<ExperimentSnapshot>> SnapshotsAsync(string experimentId, CancellationToken cancellationToken) => throw Down();

        public Task<int> RemoveSnapshotsAsync(string experimentId, IReadOnlyCollection<DateTimeOffset> takenAt, CancellationToken cancellationToken) => throw Down();

        public Task<(ArmStop Stop, bool StoppedNow)> StopAsync(ArmStop armStop, CancellationToken cancellationToken) => throw Down();

        public Task<ExperimentControl> ControlAsync(CancellationToken cancellationToken) => throw Down();

        public Task<IAsyncDisposable> OnControlChangedAsync(Action changed, CancellationToken cancellationToken) => throw Down();

        public Task<bool> SetOptedOutAsync(string personId, bool optedOut, CancellationToken cancellationToken) => throw Down();

        public Task<int> ForgetAsync(string personId, CancellationToken cancellationToken) => throw Down();
    }
}
