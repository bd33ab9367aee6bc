using System.Text;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Judging.Llm.Prompts;

namespace Mockingbird.Judging.Llm;

/// <summary>Prompt tokens of one interview: ours, of which a provider's prefix cache would serve some, against resending the transcript.</summary>
public sealed record InterviewTokenCost(int Turns, long BaselinePrompt, long Prompt, long CachedPrompt)
{
    public long UncachedPrompt => Prompt - CachedPrompt;
}

/// <summary>
/// What a multi-turn design interview costs in prompt tokens with the real templates. Ours is one call per turn: the
/// judge sees its stable instructions, then the question, rubric and reference, then a running summary under a token
/// budget and the answer, and writes the next follow-up in the same reply. The baseline is the design before it: the
/// judge (v2) and the interviewer (v1) called each turn, both resending the whole transcript.
/// </summary>
public static class ContextCosts
{
    /// <summary>OpenAI caches prompt prefixes of at least 1,024 tokens, in 128-token steps.</summary>
    public const int MinimumCachedPrefix = 1024;
    private const int CacheStep = 128;

    public static async Task<InterviewTokenCost> DesignInterviewAsync(PromptLibrary prompts, Question question, IReadOnlyList<string> answers, int turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answers);
        var judge = prompts.Latest("judge-design") ?? throw new InvalidOperationException("judge-design is missing");
        var baselineJudge = prompts.Find("judge-design", "v2") ?? throw new InvalidOperationException("judge-design v2 is missing");
        var interviewer = prompts.Find("interviewer-follow-up", "v1") ?? throw new InvalidOperationException("interviewer-follow-up v1 is missing");
        var notes = new List<TurnNote>();
        var transcript = new StringBuilder();
        var asked = question.Prompt;
        var earlierCalls = new List<string>();
        long baseline = 0, prompt = 0, cached = 0;
        for (var turn = 0; turn < turns; turn++)
        {
            var answer = answers[turn % answers.Count];
            var missing = question.Rubric.Skip(Math.Min(turn, question.Rubric.Count - 1)).Select(p => p.Text).ToList();
            var judged = turn == 0
                ? new JudgeRequest(question, null, answer, Earlier: [.. notes])
                : new JudgeRequest(question, asked, answer, [.. question.Rubric.Select(p => p.Text).Except(missing)], Earlier: [.. notes]);
            var delimiter = $"=====ANSWER-{turn:x16}=====";
            var judgeText = await PromptChecks.RenderAsync(judge, LlmJudge.Arguments(judged, judge, delimiter), cancellationToken);

            prompt += Tokens.Count(judgeText);
            cached += CachedPrefix(earlierCalls, judgeText);
            earlierCalls.Add(judgeText);

            // The baseline's two calls carry everything said so far instead of the bounded summary.
            var baselineJudgeText = await PromptChecks.RenderAsync(baselineJudge, LlmJudge.Arguments(judged, baselineJudge, delimiter), cancellationToken);
            var interviewerText = await PromptChecks.RenderAsync(interviewer, LlmInterviewer.Arguments(new FollowUpRequest(question, missing, notes, answer)), cancellationToken);
            var transcriptTokens = Tokens.Count(transcript.ToString());
            var summaryTokens = Tokens.Count(InterviewMemory.Summarise(notes, LlmInterviewer.SummaryTokenBudget));
            baseline += Tokens.Count(baselineJudgeText) + transcriptTokens + Tokens.Count(interviewerText) - summaryTokens + transcriptTokens;

            transcript.Append("Interviewer: ").Append(asked).Append("\nCandidate: ").Append(answer).Append('\n');
            notes.Add(new TurnNote(asked, 2.5, missing));
            asked = question.FollowUps[turn % question.FollowUps.Count];
        }

        return new InterviewTokenCost(turns, baseline, prompt, cached);
    }

    /// <summary>
    /// Tokens of the prefix a provider would serve from cache: the longest prefix byte-identical to an earlier call's
    /// (a prefix is cached from its second use, and the turns of one interview fall within a cache's lifetime),
    /// counted only from 1,024 tokens, in whole steps.
    /// </summary>
    public static long CachedPrefix(IEnumerable<string> earlierCalls, string current)
    {
        ArgumentNullException.ThrowIfNull(earlierCalls);
        ArgumentNullException.ThrowIfNull(current);
        var shared = earlierCalls.Select(earlier => SharedLength(earlier, current)).DefaultIfEmpty(0).Max();
        var tokens = Tokens.Count(current[..shared]);
        return tokens < MinimumCachedPrefix ? 0 : tokens / CacheStep * CacheStep;
    }

    private static int SharedLength(string a, string b)
    {
        var shared = 0;
        while (shared < a.Length && shared < b.Length && a[shared] == b[shared])
        {
            shared++;
        }

        return shared;
    }
}
