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
/// What a multi-turn design interview costs in prompt tokens with the real templates: each turn the judge sees the
/// question, rubric and answer, and the interviewer a summary under a token budget plus the last answer. The
/// baseline makes the same two calls per turn but resends the whole transcript in each.
/// </summary>
public static class ContextCosts
{
    /// <summary>OpenAI caches prompt prefixes of at least 1,024 tokens, in 128-token steps.</summary>
    private const int MinimumCachedPrefix = 1024;
    private const int CacheStep = 128;

    public static async Task<InterviewTokenCost> DesignInterviewAsync(PromptLibrary prompts, Question question, IReadOnlyList<string> answers, int turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answers);
        var judge = prompts.Latest("judge-design") ?? throw new InvalidOperationException("judge-design is missing");
        var interviewer = prompts.Latest("interviewer-follow-up") ?? throw new InvalidOperationException("interviewer-follow-up is missing");
        var notes = new List<TurnNote>();
        var transcript = new StringBuilder();
        var asked = question.Prompt;
        string? previousJudge = null;
        string? previousInterviewer = null;
        long baseline = 0, prompt = 0, cached = 0;
        for (var turn = 0; turn < turns; turn++)
        {
            var answer = answers[turn % answers.Count];
            var missing = question.Rubric.Skip(Math.Min(turn, question.Rubric.Count - 1)).Select(p => p.Text).ToList();
            var judged = turn == 0
                ? new JudgeRequest(question, null, answer)
                : new JudgeRequest(question, asked, answer, [.. question.Rubric.Select(p => p.Text).Except(missing)]);
            var judgeText = await PromptChecks.RenderAsync(judge, LlmJudge.Arguments(judged, judge, $"=====ANSWER-{turn:x16}====="), cancellationToken);
            var interviewerText = await PromptChecks.RenderAsync(interviewer, LlmInterviewer.Arguments(new FollowUpRequest(question, missing, notes, answer)), cancellationToken);

            prompt += Tokens.Count(judgeText) + Tokens.Count(interviewerText);
            cached += CachedPrefix(previousJudge, judgeText) + CachedPrefix(previousInterviewer, interviewerText);
            previousJudge = judgeText;
            previousInterviewer = interviewerText;

            // The baseline's two calls carry everything said so far instead of the bounded summary.
            var transcriptTokens = Tokens.Count(transcript.ToString());
            var summaryTokens = Tokens.Count(InterviewMemory.Summarise(notes, LlmInterviewer.SummaryTokenBudget));
            baseline += Tokens.Count(judgeText) + transcriptTokens + Tokens.Count(interviewerText) - summaryTokens + transcriptTokens;

            transcript.Append("Interviewer: ").Append(asked).Append("\nCandidate: ").Append(answer).Append('\n');
            notes.Add(new TurnNote(asked, 2.5, missing));
            asked = question.FollowUps[turn % question.FollowUps.Count];
        }

        return new InterviewTokenCost(turns, baseline, prompt, cached);
    }

    /// <summary>Tokens of the prefix a provider would serve from cache: shared with the previous call, 1,024 or more, whole steps.</summary>
    private static long CachedPrefix(string? previous, string current)
    {
        if (previous is null)
        {
            return 0;
        }

        var shared = 0;
        while (shared < previous.Length && shared < current.Length && previous[shared] == current[shared])
        {
            shared++;
        }

        var tokens = Tokens.Count(current[..shared]);
        return tokens < MinimumCachedPrefix ? 0 : tokens / CacheStep * CacheStep;
    }
}
