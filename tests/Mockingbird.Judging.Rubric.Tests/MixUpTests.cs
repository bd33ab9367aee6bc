using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Rubric.Tests;

/// <summary>
/// The bank's known wrong statements of a rubric point: an answer that states one is not credited with the point and
/// is told what is right; one that states the point rightly, or denies the wrong version, is not flagged.
/// </summary>
public sealed class MixUpTests
{
    private static readonly MixUp LaplaceForL2 = new(["l2", "laplace"], ["l1"], "L2 matches a Gaussian prior; the Laplace prior gives L1.", "L2 is a Laplace prior.");

    private static readonly Question Priors = new(
        "theory-priors",
        Stage.Theory,
        ["regularisation"],
        [Level.Mid],
        [Track.Applied],
        "How do L1 and L2 regularisation relate to Bayesian priors, and why does one give sparse weights?",
        [
            new RubricPoint("L2 is a MAP estimate under a Gaussian prior and L1 under a Laplace prior", ["gaussian prior", "laplace prior", "map estimate"], MixUps: [LaplaceForL2]),
            new RubricPoint("L1's constant pull drives weights to exactly zero", ["exactly zero", "constant pull", "corners"]),
            new RubricPoint("Elastic net combines the two", ["elastic net", "combines both"]),
        ],
        ["Which would you pick with correlated features?"],
        []);

    private static readonly QuestionBank Bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);

    private static Feedback Judge(string answer) => RubricJudge.Judge(new JudgeRequest(Priors, null, answer));

    [Fact]
    public void A_point_stated_in_a_known_wrong_way_is_missed_and_flagged_with_what_is_right()
    {
        var feedback = Judge("L2 regularisation is equivalent to a Laplace prior on the weights, which is why it keeps every weight small. " +
            "L1 drives weights to exactly zero because its penalty keeps a constant pull on every weight.");

        Assert.DoesNotContain(feedback.Covered, c => c.Point == Priors.Rubric[0].Text);
        Assert.Contains(Priors.Rubric[0].Text, feedback.Missed);
        var flag = Assert.Single(feedback.Flags);
        Assert.StartsWith(RubricJudge.MixUpFlagStart, flag, StringComparison.Ordinal);
        Assert.Contains("\"L2 regularisation is equivalent to a Laplace prior on the weights, which is why it keeps every weight small.\"", flag, StringComparison.Ordinal);
        Assert.EndsWith(LaplaceForL2.Correction, flag, StringComparison.Ordinal);
        Assert.Contains(LaplaceForL2.Correction, feedback.NextDrill, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sentence_that_states_a_mix_up_earns_no_other_point_either()
    {
        var feedback = Judge("L2 is equivalent to a Laplace prior, which is why it drives weights to exactly zero with a constant pull. " +
            "Elastic net combines both penalties, because correlated features then share their weight.");

        Assert.Equal([Priors.Rubric[2].Text], feedback.Covered.Select(c => c.Point));
    }

    [Fact]
    public void A_point_said_rightly_in_another_sentence_is_still_credited_and_the_wrong_sentence_still_flagged()
    {
        const string right = "In Bayesian terms L2 is a MAP estimate under a Gaussian prior, because the squared penalty is a log Gaussian density.";
        var feedback = Judge($"{right} Put another way, L2 corresponds to a Laplace prior on the weights.");

        Assert.Equal([new CoveredPoint(Priors.Rubric[0].Text, right)], feedback.Covered);
        Assert.StartsWith(RubricJudge.MixUpFlagStart, Assert.Single(feedback.Flags), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("L2 corresponds to a Gaussian prior on the weights and L1 to a Laplace prior, because each penalty is a log density.")]
    [InlineData("L1 and L2 are MAP estimates under Laplace and Gaussian priors respectively, because each penalty is a log prior.")]
    [InlineData("L2 is not a Laplace prior: its MAP estimate comes from a Gaussian prior, because the penalty is squared.")]
    [InlineData("People often say L2 means a Laplace prior, but that is wrong, because the Laplace prior gives the absolute penalty.")]
    [InlineData("A Laplace prior is sharper at zero than the Gaussian prior that L2 stands for, because its density has a cusp.")]
    [InlineData("L2 corresponds to a Gaussian prior and L1's prior is Laplace, because each penalty is a log density.")]
    [InlineData("A common confusion is that L2 means a Laplace prior, when the squared penalty is a log Gaussian density.")]
    [InlineData("L2 would need a penalty of unbounded strength and many more steps before a Laplace prior could describe it.")]
    public void A_right_statement_or_a_denial_of_the_wrong_one_is_not_flagged(string answer)
    {
        var feedback = Judge(answer);

        Assert.DoesNotContain(feedback.Flags, f => f.StartsWith(RubricJudge.MixUpFlagStart, StringComparison.Ordinal));
    }

    [Fact]
    public void A_question_the_candidate_asks_states_nothing()
    {
        var feedback = Judge("Is L2 a Laplace prior? No: L2 is a MAP estimate under a Gaussian prior, because the squared penalty is a log Gaussian density.");

        Assert.Empty(feedback.Flags);
        Assert.Contains(feedback.Covered, c => c.Point == Priors.Rubric[0].Text);
    }

    public static TheoryData<string, int, int> BankMixUps()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var question in Bank.Questions)
        {
            for (var p = 0; p < question.Rubric.Count; p++)
            {
                for (var m = 0; m < (question.Rubric[p].MixUps?.Count ?? 0); m++)
                {
                    data.Add(question.Id, p, m);
                }
            }
        }

        return data;
    }

    [Theory]
    [InlineData("theory-bias-variance-diagnosis", "A large gap rules out high bias, since the training error is tiny.")]
    [InlineData("theory-bias-variance-diagnosis", "A gap this wide points away from high bias and towards overfitting.")]
    [InlineData("theory-bias-variance-diagnosis", "High bias shows up as high training error with a modest gap, because the model cannot even fit the training data.")]
    [InlineData("theory-bias-variance-diagnosis", "More data cannot fix high bias because the model is too simple to use it.")]
    [InlineData("theory-bias-variance-diagnosis", "Collecting more data from the under-represented groups can reduce sampling bias in the estimate.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "Lasso gives sparse weights and L2 gives small dense ones.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "Compared to lasso, L2 makes the model less sparse but more stable.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "L1's penalty gives sparsity and L2 shrinks weights proportionally.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "With L2 a weight is exactly zero only if the data gradient on it is exactly zero too.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "People often assume L2 pushes weights to exactly zero, but it is L1 that does that.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "Lasso corresponds to a Laplace prior and L2 to a Gaussian prior.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "L1 is Laplace and ridge is Gaussian, so their MAP estimates differ.")]
    [InlineData("theory-probability-calibration", "Temperature scaling improves calibration and leaves the AUC exactly where it was because it preserves the ranking.")]
    [InlineData("theory-probability-calibration", "Calibration can improve log loss and the Brier score and AUC stays the same.")]
    [InlineData("theory-data-drift-vs-concept-drift", "Data drift leaves the relationship between inputs and labels untouched.")]
    [InlineData("theory-data-drift-vs-concept-drift", "With data drift the relationship P(y|x) is constant while P(x) shifts.")]
    [InlineData("theory-speculative-decoding", "Quantisation trades quality for speed; speculative decoding keeps the target model's exact distribution.")]
    [InlineData("theory-speculative-decoding", "A smaller, faster model alone would trade quality for speed, but speculative decoding lets the big model check every token.")]
    [InlineData("theory-lora-peft-and-forgetting", "LoRA keeps all the weights of the base model fixed and trains two small matrices.")]
    [InlineData("theory-lora-peft-and-forgetting", "LoRA is much cheaper than training all the weights, because only the adapters get gradients.")]
    [InlineData("theory-lora-peft-and-forgetting", "LoRA can be merged into all the weights after training, so inference is exactly as fast as the base model.")]
    public void A_right_sentence_a_candidate_would_write_is_not_taken_for_one_of_the_banks_mix_ups(string questionId, string sentence)
    {
        var feedback = RubricJudge.Judge(new JudgeRequest(Bank.Find(questionId)!, null, sentence));

        Assert.DoesNotContain(feedback.Flags, f => f.StartsWith(RubricJudge.MixUpFlagStart, StringComparison.Ordinal));
    }

    [Fact]
    public void The_bank_lists_mix_ups_for_the_classic_swaps()
    {
        Assert.True(BankMixUps().Count >= 10, $"the bank lists {BankMixUps().Count} mix-ups");
    }

    [Theory]
    [MemberData(nameof(BankMixUps))]
    public void Every_mix_up_in_the_bank_is_found_in_its_example_and_in_no_reference_answer_of_its_question(string questionId, int point, int mixUp)
    {
        var question = Bank.Find(questionId)!;
        var listed = question.Rubric[point].MixUps![mixUp];

        Assert.True(MixUpFinder.StatedIn(listed.Example, listed), $"'{listed.Example}' is not found to state [{string.Join(", ", listed.Said)}]");
        Assert.False(MixUpFinder.StatedIn(question.ReferenceAnswer!, listed), $"the reference answer of {questionId} is found to state [{string.Join(", ", listed.Said)}]");
        var judged = RubricJudge.Judge(new JudgeRequest(question, null, listed.Example));
        Assert.Contains(judged.Flags, f => f.EndsWith(listed.Correction, StringComparison.Ordinal) || question.Rubric[point].MixUps!.Any(other => f.EndsWith(other.Correction, StringComparison.Ordinal)));
    }
}
