using Mockingbird.Interview.Questions;

namespace Mockingbird.Evaluation.Tests;

public sealed class EvalMetricsTests
{
    [Fact]
    public void Spearman_gives_tied_values_their_average_rank()
    {
        // x ranks 1, 2.5, 2.5, 4 (the two 2s share ranks 2 and 3); y ranks 1, 3, 2, 4. Deviations from the mean rank
        // 2.5: x (-1.5, 0, 0, 1.5), y (-1.5, 0.5, -0.5, 1.5). Covariance sum 4.5, x sum of squares 4.5, y 5,
        // so rho = 4.5 / sqrt(4.5 * 5) = sqrt(0.9) = 0.9487. Ranking ties 2 then 3 instead would give 0.8.
        var rho = EvalMetrics.Spearman([1, 2, 2, 3], [1, 3, 2, 4]);

        Assert.NotNull(rho);
        Assert.Equal(Math.Sqrt(0.9), rho.Value, precision: 10);
    }

    [Fact]
    public void Spearman_is_undefined_when_the_judge_gives_every_answer_the_same_total()
    {
        Assert.Null(EvalMetrics.Spearman([1, 2, 3], [2.5, 2.5, 2.5]));
    }

    [Fact]
    public void Average_ranks_share_the_ranks_a_run_of_equal_values_spans()
    {
        Assert.Equal([4, 2, 2, 2, 5], EvalMetrics.AverageRanks([3.0, 1.0, 1.0, 1.0, 9.0]));
    }

    [Fact]
    public void Quadratic_weighted_kappa_is_one_for_perfect_agreement_and_minus_one_for_a_full_reversal()
    {
        Assert.Equal(1.0, EvalMetrics.QuadraticWeightedKappa([1, 2, 3, 4, 2], [1, 2, 3, 4, 2])!.Value, precision: 10);

        // Uniform margins, weights (i-j)^2/9: observed disagreement (9+1+1+9)/9 = 20/9, chance (14+6+6+14)/36 = 10/9.
        Assert.Equal(-1.0, EvalMetrics.QuadraticWeightedKappa([1, 2, 3, 4], [4, 3, 2, 1])!.Value, precision: 10);
    }

    [Fact]
    public void Quadratic_weighted_kappa_matches_a_hand_computed_matrix()
    {
        // Expected 1,2,3,4 against judged 1,2,4,4: one answer off by one band, weight 1/9. Row margins (1,1,1,1),
        // column margins (1,1,0,2), N = 4. Chance disagreement = 1/4 * sum_j col_j * sum_i w_ij
        // = 1/4 * (1 * 14/9 + 1 * 6/9 + 2 * 14/9) = 4/3, so kappa = 1 - (1/9) / (4/3) = 11/12.
        var kappa = EvalMetrics.QuadraticWeightedKappa([1, 2, 3, 4], [1, 2, 4, 4]);

        Assert.Equal(11.0 / 12.0, kappa!.Value, precision: 10);
    }

    [Fact]
    public void Quadratic_weighted_kappa_is_undefined_when_both_raters_use_a_single_band()
    {
        Assert.Null(EvalMetrics.QuadraticWeightedKappa([2, 2, 2], [2, 2, 2]));
    }

    [Fact]
    public void Pairwise_accuracy_counts_a_tie_half_and_pairs_only_answers_to_the_same_question_with_different_bands()
    {
        // Question A: (4 vs 2) tied at 3.0 -> 0.5; (4 vs 1) and (2 vs 1) in order -> 1 each: 2.5 of 3.
        // Question B: two band-1 answers form no pair. Paired across questions, B's 3.5 above A's band-2 3.0 would count.
        IReadOnlyList<(int, double)> a = [(4, 3.0), (2, 3.0), (1, 1.0)];
        IReadOnlyList<(int, double)> b = [(1, 1.0), (1, 3.5)];

        Assert.Equal(2.5 / 3, EvalMetrics.PairwiseOrderAccuracy([a, b])!.Value, precision: 10);
    }

    [Fact]
    public void Pairwise_accuracy_counts_a_reversed_pair_as_wrong()
    {
        IReadOnlyList<(int, double)> reversed = [(4, 1.5), (1, 3.0)];

        Assert.Equal(0.0, EvalMetrics.PairwiseOrderAccuracy([reversed]));
    }

    [Theory]
    [InlineData(2.5, 3)]
    [InlineData(2.4, 2)]
    [InlineData(1.5, 2)]
    [InlineData(0.7, 1)]
    [InlineData(4.0, 4)]
    public void The_judges_band_is_its_total_rounded_half_up(double total, int band)
    {
        Assert.Equal(band, EvalMetrics.JudgeBand(total));
    }

    [Fact]
    public void Figures_give_lifts_against_the_weak_answer_and_shares_of_questions_above_it()
    {
        JudgedAnswer[] answers =
        [
            .. Question("q1", Stage.Theory, strong: 3.5, weak: 1.5, keywords: 2.0, paraphrase: 1.5, injected: 1.5),
            .. Question("q2", Stage.Design, strong: 3.0, weak: 1.0, keywords: 1.0, paraphrase: 2.0, injected: 2.0),
        ];

        var report = EvalReport.From("offline", answers);

        Assert.Equal(2, report.Overall.Questions);
        Assert.Equal(0.25, report.Overall.KeywordLift!.Value, precision: 10);   // (0.5 + 0) / 2
        Assert.Equal(0.5, report.Overall.InjectionLift!.Value, precision: 10);  // (0 + 1) / 2
        Assert.Equal(1.0, report.Overall.StrongAboveWeak);
        Assert.Equal(0.5, report.Overall.ParaphraseAboveWeak);                  // q1's paraphrase only ties its weak answer
        Assert.Equal(["theory", "design"], report.Stages.Select(s => s.Scope));
        Assert.Equal(0.0, report.Stages[0].ParaphraseAboveWeak);
        Assert.Equal(1.0, report.Stages[1].InjectionLift!.Value, precision: 10);
    }

    private static IEnumerable<JudgedAnswer> Question(string id, Stage stage, double strong, double weak, double keywords, double paraphrase, double injected) =>
    [
        new(id, stage, AnswerKind.Strong, 4, strong),
        new(id, stage, AnswerKind.Medium, 3, (strong + weak) / 2),
        new(id, stage, AnswerKind.Weak, 1, weak),
        new(id, stage, AnswerKind.Keywords, 1, keywords),
        new(id, stage, AnswerKind.Paraphrase, 4, paraphrase),
        new(id, stage, AnswerKind.Injected, 1, injected),
    ];
}
