using Mockingbird.Interview.Judging;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Llm.Tests;

public sealed class ContextCostsTests
{
    private static readonly string[] Answers =
    [
        "I would scope the latency budget and the requests per second first, because they decide whether retrieval can afford a reranker at all, and then I would chunk and index the help articles with metadata so that stale pages can be filtered out.",
        "Serving streams tokens and caches frequent questions in a semantic cache, which keeps the first token fast, while evaluation uses a golden set for groundedness offline and tracks the resolution rate online so regressions show up.",
    ];

    private static async Task<InterviewTokenCost> CostAsync(int turns)
    {
        var (prompts, problems) = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"));
        Assert.Empty(problems);
        return await ContextCosts.DesignInterviewAsync(prompts, SampleQuestions.SupportAssistant, Answers, turns, default);
    }

    [Fact]
    public async Task Prompt_tokens_grow_linearly_with_the_interview_while_resending_the_transcript_grows_quadratically()
    {
        var twelve = await CostAsync(12);
        var twentyFour = await CostAsync(24);

        var oursGrowth = (double)twentyFour.Prompt / twelve.Prompt;

        // What resending the transcript adds on top of the same prompts: quadratic, so four times as much for twice the turns.
        var resentGrowth = (double)(twentyFour.BaselinePrompt - twentyFour.Prompt) / (twelve.BaselinePrompt - twelve.Prompt);
        Assert.InRange(oursGrowth, 1.9, 2.1);
        Assert.True(resentGrowth > 3.5, $"the resent transcript grew {resentGrowth:0.00}x from 12 to 24 turns ({twelve}, {twentyFour})");
        Assert.True(twentyFour.UncachedPrompt * 2 < twentyFour.BaselinePrompt, $"{twentyFour}");
    }

    [Fact]
    public async Task Uncached_prompt_tokens_over_a_twelve_turn_design_interview_are_at_most_a_third_of_resending_the_transcript()
    {
        var cost = await CostAsync(12);

        Assert.True(cost.CachedPrompt > 0, $"nothing was cached: {cost}");
        Assert.True(cost.UncachedPrompt * 3 <= cost.BaselinePrompt, $"uncached {cost.UncachedPrompt} of baseline {cost.BaselinePrompt} ({(double)cost.UncachedPrompt / cost.BaselinePrompt:P0}): {cost}");
    }

    [Fact]
    public void A_prefix_counts_as_cached_only_from_its_second_use_when_byte_identical_and_at_least_1024_tokens()
    {
        var stable = string.Join(' ', Enumerable.Range(0, 1400).Select(i => $"w{i}"));
        Assert.True(Tokens.Count(stable) > 1200);
        var tooShort = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"w{i}"));

        Assert.Equal(0, ContextCosts.CachedPrefix([], stable + " turn one"));
        var cached = ContextCosts.CachedPrefix([stable + " turn one"], stable + " turn two");
        Assert.InRange(cached, ContextCosts.MinimumCachedPrefix, Tokens.Count(stable));
        Assert.Equal(0, cached % 128);
        Assert.Equal(0, ContextCosts.CachedPrefix([tooShort + " turn one"], tooShort + " turn two"));
        Assert.Equal(0, ContextCosts.CachedPrefix(["x" + stable], stable));
    }

    [Fact]
    public void The_interviewers_summary_stays_within_its_token_budget_however_long_the_interview()
    {
        var notes = Enumerable.Range(1, 60).Select(i => new TurnNote($"Follow-up {i}: how would you shard the index and keep it fresh under load?", 2.5, ["Estimates cost per conversation", "Tracks resolution online"])).ToList();

        var summary = InterviewMemory.Summarise(notes, LlmInterviewer.SummaryTokenBudget);

        Assert.True(Tokens.Count(summary) <= LlmInterviewer.SummaryTokenBudget + 30, $"{Tokens.Count(summary)} tokens");
        Assert.StartsWith("- ", summary, StringComparison.Ordinal);
        Assert.Contains("earlier answer(s), average 2.5/4", summary, StringComparison.Ordinal);
        Assert.Contains("Follow-up 60:", summary, StringComparison.Ordinal);
    }
}
