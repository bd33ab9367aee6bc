using System.Globalization;
using Mockingbird.Interview.Questions;
using Mockingbird.Judging.Llm;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Benchmarks;

/// <summary>Prompt tokens per design interview at 4, 8, 12 and 24 turns, against resending the transcript.</summary>
public static class TokenBenchmark
{
    public static async Task<int> RunAsync()
    {
        var (prompts, problems) = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        var bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);
        var question = bank.Find("design-rag-support-assistant") ?? bank.ForStage(Stage.Design).First();
        var answers = SampleAnswers();
        Console.WriteLine($"Prompt tokens per design interview ({question.Id}; o200k; summary budget {LlmInterviewer.SummaryTokenBudget} tokens)");
        Console.WriteLine("ours: one judge call per turn whose reply also carries the follow-up; baseline: judge (v2) and interviewer (v1) calls per turn, each resending the transcript");
        Console.WriteLine($"cached: the prefix byte-identical to an earlier call, from {ContextCosts.MinimumCachedPrefix:N0} tokens in 128-token steps");
        Console.WriteLine("turns  baseline (resend transcript)  ours total  ours cached  ours uncached  uncached / baseline");
        foreach (var turns in new[] { 4, 8, 12, 24 })
        {
            var cost = await ContextCosts.DesignInterviewAsync(prompts, question, answers, turns, default);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{turns,5}  {cost.BaselinePrompt,27:N0}  {cost.Prompt,10:N0}  {cost.CachedPrompt,11:N0}  {cost.UncachedPrompt,13:N0}  {(double)cost.UncachedPrompt / cost.BaselinePrompt,19:P0}"));
        }

        return 0;
    }

    internal static IReadOnlyList<string> SampleAnswers() =>
    [
        "I'd start by scoping: ticket volume, which intents are in scope, the latency budget for the first token and what success means, resolution without escalation and CSAT. Then I'd index the help centre with structure-aware chunking and metadata such as product and version, so stale articles can be filtered, and re-index incrementally as articles change. Retrieval would be hybrid, BM25 plus embeddings, with a cross-encoder reranker, and the model answers only from the retrieved passages with citations, refusing when nothing relevant comes back.",
        "For serving I'd put an intent router in front, stream tokens so the first one arrives within a second, and hand off to a human agent with a conversation summary when confidence is low. I'd guard against prompt injection in both user messages and retrieved documents, and restrict tool calls to the authenticated customer so no data leaks across accounts. Evaluation starts offline with a golden set from real tickets, recall at k for retrieval and faithfulness with a calibrated LLM judge, then online I'd watch the reopen rate and escalations.",
        "The main trade-off is retrieval against fine-tuning: knowledge changes weekly, so retrieval wins and fine-tuning is only for tone. On cost, at fifty thousand conversations a day and about three thousand tokens each, a large model runs to roughly fifteen hundred dollars a day, so I'd route simple intents to a small model and cache frequent answers, and compare cost per resolved ticket with a human agent's before widening the rollout.",
    ];
}
