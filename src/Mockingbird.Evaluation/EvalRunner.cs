using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Evaluation;

/// <summary>One labelled answer with the total a judge gave it.</summary>
/// <param name="FellBack">The LLM judge could not answer and its offline fallback did: the figure is not the LLM's.</param>
public sealed record JudgedAnswer(string QuestionId, Stage Stage, AnswerKind Kind, int ExpectedBand, double Total, bool FellBack = false);

public static class EvalRunner
{
    /// <summary>Small: an LLM endpoint rate-limits a burst, and the offline judge gains little past the core count.</summary>
    public const int DefaultParallelism = 4;

    /// <summary>Judges every answer of the set as a main answer, a few at a time; results keep the set's order.</summary>
    public static async Task<IReadOnlyList<JudgedAnswer>> RunAsync(EvalSet set, IAnswerJudge judge, int parallelism = DefaultParallelism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var work = set.Cases.SelectMany(c => c.Answers.Select(a => (Case: c, Answer: a))).ToList();
        var results = new JudgedAnswer[work.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, work.Count), options, async (i, token) =>
        {
            var (evalCase, answer) = work[i];
            var feedback = await judge.JudgeAsync(new JudgeRequest(evalCase.Question, null, answer.Text), token).ConfigureAwait(false);
            results[i] = new JudgedAnswer(
                evalCase.Question.Id,
                evalCase.Question.Stage,
                answer.Kind,
                answer.Band,
                feedback.Total,
                feedback.Source?.JudgeKind == "offline-fallback");
        }).ConfigureAwait(false);
        return results;
    }
}
