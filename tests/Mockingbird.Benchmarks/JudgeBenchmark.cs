using System.Diagnostics;
using System.Globalization;
using Mockingbird.Evaluation;
using Mockingbird.Judging.Embeddings;
using Mockingbird.Judging.Rubric;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Benchmarks;

/// <summary>
/// CPU time per judged answer of the offline judge over the eval set, by evidence phrases alone and with meaning, and
/// the embedding model's load time. Answers are judged one at a time, so process CPU time is the judge's own.
/// </summary>
public static class JudgeBenchmark
{
    /// <param name="sweep">Also print the eval figures at each threshold around the calibrated one, to recalibrate after a change to the matching.</param>
    public static async Task<int> RunAsync(bool sweep = false)
    {
        var bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);
        var (set, problems) = EvalSetLoader.Check(Path.Combine(RepositoryPaths.Root, "eval"), bank);
        if (set is null)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        using var embedder = LocalSentenceEmbedder.MiniLm();
        var (loaded, loadWall, loadCpu) = Measure(embedder.Warm);
        if (!loaded)
        {
            throw new InvalidOperationException($"{embedder.ModelName} could not load.");
        }

        var phrases = new RubricJudge();
        var meaning = new RubricJudge(EvidenceByMeaning.Calibrated(embedder, bank.Questions));
        var answers = set.Cases.Sum(c => c.Answers.Count);
        Console.WriteLine($"Offline judge over the eval set: {set.Cases.Count} questions, {answers} answers, judged one at a time");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model load ({embedder.ModelName}): {loadWall.TotalMilliseconds:N0} ms wall, {loadCpu.TotalMilliseconds:N0} ms CPU"));

        // What a bot does at start, off the request path, so no stage's first answer waits for its rivals' points.
        var (_, warmWall, warmCpu) = Measure(() =>
        {
            new RubricJudge(EvidenceByMeaning.Calibrated(embedder, bank.Questions)).PrepareBank(CancellationToken.None);
            return true;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up, every point of the bank's {bank.Questions.Count} questions embedded: {warmWall.TotalMilliseconds:N0} ms wall, {warmCpu.TotalMilliseconds:N0} ms CPU"));

        // The first pass also compiles the code and embeds each rubric point once; the second is a running bot's cost.
        await JudgeAllAsync(set, phrases);
        Console.WriteLine("matching               pass                 ms CPU per answer  eval: pairwise    rho  kappa  para>weak");
        foreach (var (name, judge) in new[] { ("phrases only", phrases), ("phrases and meaning", meaning) })
        {
            foreach (var pass in new[] { "first (points embedded)", "second" })
            {
                var (judged, _, cpu) = await MeasureAsync(() => JudgeAllAsync(set, judge));
                var all = EvalReport.From(name, judged).Overall;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-22} {pass,-23} {cpu.TotalMilliseconds / answers,14:N1}  {all.PairwiseOrderAccuracy,14:0.000} {all.Spearman,6:0.00} {all.QuadraticWeightedKappa,6:0.00} {all.ParaphraseAboveWeak,10:P0}"));
            }
        }

        Console.WriteLine("points credited to answers that do not answer the question (bank questions outside the behavioral stage)");
        foreach (var (name, judge) in new[] { ("phrases only", phrases), ("phrases and meaning", meaning) })
        {
            var credits = Credits(await Distractors.MeasureAsync(bank, judge));
            Console.WriteLine($"{name,-22} {credits}");
        }

        if (sweep)
        {
            Console.WriteLine($"threshold sweep ({embedder.ModelName}; calibrated {EvidenceByMeaning.CalibratedThreshold(embedder.ModelName):0.00})");
            Console.WriteLine("threshold  pairwise    rho  kappa  strong>weak  para>weak  kw-lift  inj-lift  kw/inj over weak+0.25  credited to non-answers");
            for (var threshold = 0.30f; threshold <= 0.4601f; threshold += 0.02f)
            {
                var swept = new RubricJudge(new EvidenceByMeaning(embedder, threshold, otherQuestions: bank.Questions, elsewhereMargin: EvidenceByMeaning.CalibratedElsewhereMargin));
                var judged = await JudgeAllAsync(set, swept);
                var all = EvalReport.From("sweep", judged).Overall;
                var credits = Credits(await Distractors.MeasureAsync(bank, swept));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{threshold,9:0.00} {all.PairwiseOrderAccuracy,9:0.000} {all.Spearman,6:0.00} {all.QuadraticWeightedKappa,6:0.00} {all.StrongAboveWeak,12:P0} {all.ParaphraseAboveWeak,10:P0} {all.KeywordLift,8:0.00} {all.InjectionLift,9:0.00} {OverWeak(judged, AnswerKind.Keywords),9}/{OverWeak(judged, AnswerKind.Injected)}  {credits}"));
            }
        }

        if (sweep)
        {
            Console.WriteLine($"margin sweep at the calibrated threshold (calibrated margin {EvidenceByMeaning.CalibratedElsewhereMargin:0.00}): an answer whose clauses are closer, on average, to another question of the stage by more than the margin is credited nothing by meaning");
            Console.WriteLine("margin     pairwise    rho  kappa  strong>weak  para>weak  eval answers scored lower than without  credited to non-answers");
            IReadOnlyList<JudgedAnswer>? unheld = null;
            foreach (var margin in new float?[] { null, 0.10f, 0.12f, 0.15f, 0.18f, 0.22f })
            {
                var swept = new RubricJudge(new EvidenceByMeaning(embedder, EvidenceByMeaning.CalibratedThreshold(embedder.ModelName), otherQuestions: margin is null ? null : bank.Questions, elsewhereMargin: margin ?? 0f));
                var judged = await JudgeAllAsync(set, swept);
                unheld ??= judged;
                var lower = judged.Zip(unheld).Where(pair => pair.First.Total < pair.Second.Total).GroupBy(pair => pair.First.Kind).OrderBy(g => g.Key);
                var all = EvalReport.From("sweep", judged).Overall;
                var credits = Credits(await Distractors.MeasureAsync(bank, swept));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(margin is { } m ? m.ToString("0.00", CultureInfo.InvariantCulture) : "none"),6} {all.PairwiseOrderAccuracy,12:0.000} {all.Spearman,6:0.00} {all.QuadraticWeightedKappa,6:0.00} {all.StrongAboveWeak,12:P0} {all.ParaphraseAboveWeak,10:P0}  {string.Join(" ", lower.Select(g => $"{g.Key.ToWire()} {g.Count()}")),-38}  {credits}"));
            }
        }

        return 0;
    }

    private static string Credits(IReadOnlyList<DistractorCredit> credits) =>
        string.Join("  ", credits.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Kind} {c.Share:P1}")));

    /// <summary>Questions whose answer of this kind scores more than a quarter point above the weak one (CI allows none).</summary>
    private static int OverWeak(IReadOnlyList<JudgedAnswer> judged, AnswerKind kind) =>
        judged.GroupBy(a => a.QuestionId, StringComparer.Ordinal)
            .Count(q => q.Single(a => a.Kind == kind).Total > q.Single(a => a.Kind == AnswerKind.Weak).Total + 0.25);

    private static Task<IReadOnlyList<JudgedAnswer>> JudgeAllAsync(EvalSet set, RubricJudge judge) =>
        EvalRunner.RunAsync(set, judge, parallelism: 1);

    private static (T Result, TimeSpan Wall, TimeSpan Cpu) Measure<T>(Func<T> work)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = work();
        return (result, wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static async Task<(T Result, TimeSpan Wall, TimeSpan Cpu)> MeasureAsync<T>(Func<Task<T>> work)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = await work();
        return (result, wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }
}
