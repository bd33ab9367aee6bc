using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Llm.Tests.Prompts;

public sealed class JudgePromptsV3Tests
{
    private static readonly PromptLibrary Shipped = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts")).Library;

    public static TheoryData<string> Stages() => [.. Enum.GetValues<Stage>().Select(s => s.ToWire())];

    private static async Task<string> SystemTextAsync(PromptDefinition prompt, JudgeRequest request)
    {
        var rendered = await PromptChecks.RenderAsync(prompt, LlmJudge.Arguments(request, prompt, AnswerFence.NewDelimiter()), default);
        return LlmJudge.ToChat(rendered)[0].Content!;
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task The_system_text_is_one_text_per_kind_of_answer_for_every_question_and_turn_of_a_stage_and_long_enough_to_cache(string stage)
    {
        var prompt = Shipped.Latest($"judge-{stage}")!;
        var questions = SampleQuestions.Bank().ForStage(Enum.GetValues<Stage>().Single(s => s.ToWire() == stage));
        var mains = new HashSet<string>(StringComparer.Ordinal);
        var followUps = new HashSet<string>(StringComparer.Ordinal);
        foreach (var question in questions)
        {
            var notes = new List<TurnNote>();
            mains.Add(await SystemTextAsync(prompt, new JudgeRequest(question, null, $"A first answer to {question.Id}.")));
            foreach (var turn in Enumerable.Range(1, 3))
            {
                notes.Add(new TurnNote($"Follow-up {turn}?", 2 + (turn / 2.0), [question.Rubric[^1].Text]));
                followUps.Add(await SystemTextAsync(prompt, new JudgeRequest(question, $"Follow-up {turn}?", $"Answer {turn}.", [question.Rubric[0].Text], Earlier: notes)));
            }
        }

        Assert.True(LlmJudge.WritesFollowUp(prompt));
        var main = Assert.Single(mains);
        var followUp = Assert.Single(followUps);
        Assert.True(Tokens.Count(main) >= ContextCosts.MinimumCachedPrefix, $"{prompt.Name}/{prompt.Version} main-answer system text: {Tokens.Count(main)} tokens");
        Assert.True(Tokens.Count(followUp) >= ContextCosts.MinimumCachedPrefix, $"{prompt.Name}/{prompt.Version} follow-up system text: {Tokens.Count(followUp)} tokens");
        Assert.Contains("\"follow_up\" (string)", main, StringComparison.Ordinal);
        Assert.Contains("Rules for the follow-up", followUp, StringComparison.Ordinal);
    }
}
