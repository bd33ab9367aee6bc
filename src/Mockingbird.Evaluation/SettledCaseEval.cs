using System.Globalization;
using System.Text;
using Mockingbird.Disputes;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Evaluation;

/// <summary>
/// The judge measured on settled disputes: the answers peers scored blind on one rubric dimension. Agreement is the
/// share of cases within half a point of the peers' median (<see cref="JudgeAgreement"/>), per prompt version.
/// </summary>
/// <param name="Recorded">The judgements as they were given, each under the prompt version that gave them.</param>
/// <param name="Rerun">The judge run now over the same answers; empty when none was run.</param>
/// <param name="Skipped">Cases the run could not score: their question left the bank, or the judge no longer scores that dimension.</param>
/// <param name="Fallbacks">Cases the LLM judge could not answer and its offline fallback scored.</param>
public sealed record SettledEvalReport(int Cases, IReadOnlyList<JudgeAgreement> Recorded, string? Judge, IReadOnlyList<JudgeAgreement> Rerun, int Skipped, int Fallbacks)
{
    public static SettledEvalReport Of(IReadOnlyList<SettledCase> settled, string? judge = null, SettledRun? run = null)
    {
        ArgumentNullException.ThrowIfNull(settled);
        return new SettledEvalReport(settled.Count, JudgeAgreement.Recorded(settled), judge, run?.Agreement ?? [], run?.Skipped ?? 0, run?.Fallbacks ?? 0);
    }

    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Settled disputes: {Cases} (agreement: judge within {JudgeAgreement.Tolerance:0.0} of the peers' median on the disputed dimension)");
        Rows(text, "Recorded judgements", Recorded);
        if (Judge is not null)
        {
            Rows(text, $"This run ({Judge})", Rerun);
            if (Skipped > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{Skipped} case(s) skipped: the question left the bank or the judge no longer scores that dimension.");
            }

            if (Fallbacks > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"Warning: {Fallbacks} case(s) were scored by the offline fallback because the LLM could not answer.");
            }
        }

        return text.ToString().TrimEnd();
    }

    private static void Rows(StringBuilder text, string title, IReadOnlyList<JudgeAgreement> rows)
    {
        text.AppendLine(title);
        if (rows.Count == 0)
        {
            text.AppendLine("  (no cases)");
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {"prompt version",-32}{"cases",7}{"agreement",11}{"mean |diff|",13}");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {row.PromptVersion,-32}{row.Cases,7}{row.Agreement,11:0%}{row.MeanAbsoluteDifference,13:0.00}");
        }
    }
}

/// <param name="Agreement">Per prompt version of the judge that ran (its prompt's version, or its kind offline).</param>
public sealed record SettledRun(IReadOnlyList<JudgeAgreement> Agreement, int Skipped, int Fallbacks);

public static class SettledCaseRunner
{
    /// <summary>Judges each settled case's answer again, as a main answer, and compares its disputed dimension with the peers.</summary>
    public static async Task<SettledRun> RunAsync(IReadOnlyList<SettledCase> settled, QuestionBank bank, IAnswerJudge judge, int parallelism = EvalRunner.DefaultParallelism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settled);
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(judge);
        var results = new (PeerComparison? Comparison, bool FellBack)[settled.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, settled.Count), options, async (i, token) =>
        {
            var settledCase = settled[i];
            if (bank.Find(settledCase.Case.QuestionId) is not { } question)
            {
                return;
            }

            var feedback = await judge.JudgeAsync(new JudgeRequest(question, null, settledCase.Case.Answer), token).ConfigureAwait(false);
            var dimension = feedback.Dimensions.FirstOrDefault(d => string.Equals(d.Name, settledCase.Case.Rubric.Dimension, StringComparison.OrdinalIgnoreCase));
            var source = feedback.Source ?? new FeedbackSource(feedback.Judge);
            results[i] = (
                dimension is null ? null : new PeerComparison(new JudgeRecord(dimension.Score, source).PromptVersion, dimension.Score, settledCase.PeerScore),
                source.JudgeKind == "offline-fallback");
        }).ConfigureAwait(false);
        var compared = results.Select(r => r.Comparison).OfType<PeerComparison>().ToList();
        return new SettledRun(JudgeAgreement.PerPromptVersion(compared), settled.Count - compared.Count, results.Count(r => r.FellBack));
    }
}
