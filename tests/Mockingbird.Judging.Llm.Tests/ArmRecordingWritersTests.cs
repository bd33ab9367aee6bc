using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Experiments;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Judging.Llm.Tests;

/// <summary>Follow-up and summary prompts in experiments: a writer that wrote nothing usable is a fallback of the arm.</summary>
public sealed class ArmRecordingWritersTests : IDisposable
{
    private const string Candidate = "discord:g:cand-1";
    private readonly string _scratch = Directory.CreateTempSubdirectory("mb-writers-").FullName;
    private readonly InMemoryExperimentStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly PromptExperiments _prompts;

    public ArmRecordingWritersTests()
    {
        foreach (var prompt in new[] { LlmInterviewer.PromptName, LlmScorecardWriter.PromptName, LlmDebriefWriter.PromptName })
        {
            var directory = Directory.CreateDirectory(Path.Combine(_scratch, prompt)).FullName;
            foreach (var version in new[] { "v1", "v2" })
                File.Copy(Path.Combine(RepositoryPaths.Root, "prompts", prompt, "v1.yaml"), Path.Combine(directory, $"{version}.yaml"));
        }

        var file = Path.Combine(_scratch, "experiments.yaml");
        File.WriteAllText(file, $"""
            experiments:
              - id: follow-ups
                prompt: {LlmInterviewer.PromptName}
                smallest_difference: 0.1
                variants: [{"{"}version: v1, weight: 1{"}"}, {"{"}version: v2, weight: 1{"}"}]
              - id: summaries
                prompt: {LlmScorecardWriter.PromptName}
                smallest_difference: 0.1
                variants: [{"{"}version: v1, weight: 1{"}"}, {"{"}version: v2, weight: 1{"}"}]
              - id: debriefs
                prompt: {LlmDebriefWriter.PromptName}
                smallest_difference: 0.1
                variants: [{"{"}version: v1, weight: 1{"}"}, {"{"}version: v2, weight: 1{"}"}]
            """);
        var (library, libraryProblems) = PromptLibrary.Load(_scratch);
        Assert.Empty(libraryProblems);
        var (prompts, problems) = PromptExperiments.Load(file, library);
        Assert.Empty(problems);
        _prompts = prompts;
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task A_follow_up_the_llm_could_not_write_counts_as_a_fallback_in_the_candidates_arm()
    {
        var inner = new Mock<IFollowUpWriter>();
        inner.Setup(w => w.WriteAsync(It.IsAny<FollowUpRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync((WrittenText?)null);
        var writer = new ArmRecordingInterviewer(inner.Object, _store, _prompts, _time, NullLogger<ArmRecordingInterviewer>.Instance);

        Assert.Null(await writer.WriteAsync(new FollowUpRequest(SampleQuestions.Attention, ["scaling"], [], "Attention weighs tokens.", Candidate), default));

        var arm = Assert.Single(await _store.MetricsAsync("follow-ups", _time.GetUtcNow(), default));
        Assert.Equal((_prompts.Choose(LlmInterviewer.PromptName, Candidate)!.Arm, 1L, 1L), (arm.Arm, arm.Feedbacks, arm.Fallbacks));
    }

    [Fact]
    public async Task A_summary_the_llm_could_not_write_counts_as_a_fallback_and_an_interview_with_nothing_to_sum_up_counts_nowhere()
    {
        var inner = new Mock<IScorecardWriter>();
        inner.Setup(w => w.SummariseAsync(It.IsAny<Scorecard>(), It.IsAny<InterviewPlan>(), It.IsAny<IReadOnlyList<TurnNote>>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((WrittenText?)null);
        var writer = new ArmRecordingScorecardWriter(inner.Object, _store, _prompts, _time, NullLogger<ArmRecordingScorecardWriter>.Instance);
        var card = new Scorecard("s-1", [], 3.0, null, 0, [], [], false);

        await writer.SummariseAsync(card, InterviewPlan.Theory, [], Candidate, default);
        Assert.Empty(await _store.MetricsAsync("summaries", _time.GetUtcNow(), default));

        await writer.SummariseAsync(card, InterviewPlan.Theory, [new TurnNote("What is attention?", 3.0, [])], Candidate, default);
        var arm = Assert.Single(await _store.MetricsAsync("summaries", _time.GetUtcNow(), default));
        Assert.Equal((1L, 1L), (arm.Feedbacks, arm.Fallbacks));
    }

    [Fact]
    public async Task A_debrief_the_llm_could_not_write_counts_as_a_fallback_in_the_debrief_prompts_arm_and_one_with_nothing_to_read_counts_nowhere()
    {
        var inner = new Mock<IDebriefWriter>();
        inner.Setup(w => w.DebriefAsync(It.IsAny<DebriefRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync((Debrief?)null);
        var writer = new ArmRecordingDebriefWriter(inner.Object, _store, _prompts, _time, NullLogger<ArmRecordingDebriefWriter>.Instance);
        var offline = new Debrief([], Debriefs.Offline);

        Assert.Null(await writer.DebriefAsync(new DebriefRequest([], [], offline, Candidate), default));
        Assert.Empty(await _store.MetricsAsync("debriefs", _time.GetUtcNow(), default));

        Assert.Null(await writer.DebriefAsync(new DebriefRequest([new DebriefTurn(1, Stage.Behavioral, [], [])], [], offline, Candidate), default));
        var arm = Assert.Single(await _store.MetricsAsync("debriefs", _time.GetUtcNow(), default));
        Assert.Equal((_prompts.Choose(LlmDebriefWriter.PromptName, Candidate)!.Arm, 1L, 1L), (arm.Arm, arm.Feedbacks, arm.Fallbacks));
    }
}
