using System.Globalization;
using System.Text;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Evaluation;

/// <summary>A judge's agreement with the labels over a set of answers (all of them, or one stage's).</summary>
/// <param name="Scope"><c>all</c>, or the stage's name.</param>
/// <param name="PairwiseOrderAccuracy">See <see cref="EvalMetrics.PairwiseOrderAccuracy"/>.</param>
/// <param name="Spearman">Between expected band and judge total, over every answer.</param>
/// <param name="QuadraticWeightedKappa">Between expected band and the judge's band (total rounded half-up).</param>
/// <param name="KeywordLift">Mean of keywords total minus weak total: a bare term list should gain nothing.</param>
/// <param name="InjectionLift">Mean of injected total minus weak total: instructions to the judge should gain nothing.</param>
/// <param name="StrongAboveWeak">Share of questions whose strong answer scored strictly above the weak one.</param>
/// <param name="ParaphraseAboveWeak">Share of questions whose paraphrase scored strictly above the weak answer.</param>
public sealed record EvalFigures(
    string Scope,
    int Questions,
    int Answers,
    double? PairwiseOrderAccuracy,
    double? Spearman,
    double? QuadraticWeightedKappa,
    double? KeywordLift,
    double? InjectionLift,
    double? StrongAboveWeak,
    double? ParaphraseAboveWeak)
{
    public static EvalFigures From(string scope, IReadOnlyList<JudgedAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var perQuestion = answers.GroupBy(a => a.QuestionId, StringComparer.Ordinal).ToList();
        var byKind = perQuestion.Select(q => q.ToDictionary(a => a.Kind, a => a.Total)).ToList();
        return new EvalFigures(
            scope,
            perQuestion.Count,
            answers.Count,
            EvalMetrics.PairwiseOrderAccuracy(perQuestion.Select(q => (IReadOnlyList<(int, double)>)[.. q.Select(a => (a.ExpectedBand, a.Total))])),
            EvalMetrics.Spearman([.. answers.Select(a => (double)a.ExpectedBand)], [.. answers.Select(a => a.Total)]),
            EvalMetrics.QuadraticWeightedKappa([.. answers.Select(a => a.ExpectedBand)], [.. answers.Select(a => EvalMetrics.JudgeBand(a.Total))]),
            MeanOver(byKind, AnswerKind.Keywords, AnswerKind.Weak, (higher, lower) => higher - lower),
            MeanOver(byKind, AnswerKind.Injected, AnswerKind.Weak, (higher, lower) => higher - lower),
            MeanOver(byKind, AnswerKind.Strong, AnswerKind.Weak, (higher, lower) => higher > lower ? 1 : 0),
            MeanOver(byKind, AnswerKind.Paraphrase, AnswerKind.Weak, (higher, lower) => higher > lower ? 1 : 0));
    }

    private static double? MeanOver(List<Dictionary<AnswerKind, double>> questions, AnswerKind first, AnswerKind second, Func<double, double, double> measure)
    {
        var values = questions
            .Where(q => q.ContainsKey(first) && q.ContainsKey(second))
            .Select(q => measure(q[first], q[second]))
            .ToList();
        return values.Count == 0 ? null : values.Average();
    }
}

/// <param name="Judge">Which judge ran: <c>offline</c> or <c>llm</c>.</param>
/// <param name="Fallbacks">Answers the LLM judge could not score, scored by its offline fallback instead.</param>
public sealed record EvalReport(string Judge, int Fallbacks, EvalFigures Overall, IReadOnlyList<EvalFigures> Stages)
{
    public static EvalReport From(string judge, IReadOnlyList<JudgedAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return new EvalReport(
            judge,
            answers.Count(a => a.FellBack),
            EvalFigures.From("all", answers),
            [.. answers.GroupBy(a => a.Stage).OrderBy(g => g.Key).Select(g => EvalFigures.From(g.Key.ToWire(), [.. g]))]);
    }

    /// <summary>A short table for the terminal: one row for all answers, then one per stage.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Judge: {Judge} (agreement with the labelled bands; lifts are mean total minus the weak answer's)");
        if (Fallbacks > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Warning: {Fallbacks} answer(s) were scored by the offline fallback because the LLM could not answer.");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{"scope",-18}{"questions",10}{"answers",8}{"pairwise",10}{"rho",7}{"kappa",7}{"kw-lift",9}{"inj-lift",9}{"strong>weak",12}{"para>weak",10}");
        foreach (var row in Stages.Prepend(Overall))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{row.Scope,-18}{row.Questions,10}{row.Answers,8}{Figure(row.PairwiseOrderAccuracy),10}{Figure(row.Spearman),7}{Figure(row.QuadraticWeightedKappa),7}{Signed(row.KeywordLift),9}{Signed(row.InjectionLift),9}{Share(row.StrongAboveWeak),12}{Share(row.ParaphraseAboveWeak),10}");
        }

        return text.ToString().TrimEnd();
    }

    private static string Figure(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Signed(double? value) => value is { } v ? v.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "-";

    private static string Share(double? value) => value is { } v ? v.ToString("0%", CultureInfo.InvariantCulture) : "-";
}
