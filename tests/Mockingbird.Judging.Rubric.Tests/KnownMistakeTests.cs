using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Rubric.Tests;

public sealed class KnownMistakeTests
{
    private static readonly QuestionBank Bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);

    private static readonly Question Regularisation = Bank.Find("theory-regularisation-l1-l2-dropout")!;

    private static RubricPoint PriorPoint => Regularisation.Rubric[2];

    private static Feedback Judge(Question question, string answer) => RubricJudge.Judge(new JudgeRequest(question, null, answer));

    private static void AssertNotAccused(string questionId, string answer) =>
        Assert.DoesNotContain(Judge(Bank.Find(questionId)!, answer).Flags, f => f.Contains("common mistake", StringComparison.Ordinal));

    private static void AssertCorrected(string questionId, int point, string answer)
    {
        var question = Bank.Find(questionId)!;

        var feedback = Judge(question, answer);

        Assert.Contains(feedback.Flags, f => f.Contains(question.Rubric[point].Mistake!.Correction, StringComparison.Ordinal));
    }

    private const string Rest =
        " Both add a penalty term to the loss, because large weights then cost the optimiser something. " +
        "Dropout switches off a random subset of units on each step, which prevents co-adaptation between them.";

    [Fact]
    public void An_answer_stating_a_points_common_mistake_scores_below_the_same_answer_stating_it_right_and_is_told_what_is_true()
    {
        var right = Judge(Regularisation, "In Bayesian terms L2 corresponds to a Gaussian prior on the weights, which is why it keeps them small." + Rest);
        var wrong = Judge(Regularisation, "In Bayesian terms L2 corresponds to a Laplace prior on the weights, which is why it keeps them small." + Rest);

        Assert.Contains(PriorPoint.Text, right.Covered.Select(c => c.Point));
        Assert.Contains(PriorPoint.Text, wrong.Missed);
        Assert.True(wrong.Total < right.Total, $"wrong {wrong.Total}, right {right.Total}");
        var coverage = Assert.Single(wrong.Dimensions, d => d.Name == "coverage");
        Assert.Equal(Assert.Single(right.Dimensions, d => d.Name == "coverage").Score - 2, coverage.Score);
        Assert.EndsWith("Lowered: a statement reads as a common mistake.", coverage.Rationale, StringComparison.Ordinal);
        var flag = Assert.Single(wrong.Flags);
        Assert.Equal($"Check this: \"In Bayesian terms L2 corresponds to a Laplace prior on the weights, which is why it keeps them small.\" reads as a common mistake. {PriorPoint.Mistake!.Correction}", flag);
        Assert.StartsWith($"Fix the mistake first: {PriorPoint.Mistake.Correction}", wrong.NextDrill, StringComparison.Ordinal);
        Assert.Empty(right.Flags);
    }

    [Fact]
    public void A_sentence_stating_a_mistake_earns_no_other_point_either()
    {
        var feedback = Judge(Regularisation, "L2 corresponds to a Laplace prior, which is why it adds a penalty term on the squared weights to the loss.");

        Assert.Contains(Regularisation.Rubric[0].Text, feedback.Missed);
        Assert.Empty(feedback.Covered);
    }

    [Fact]
    public void The_right_version_said_elsewhere_in_the_answer_does_not_win_the_point_back()
    {
        var feedback = Judge(Regularisation, "L2 corresponds to a Laplace prior on the weights, which keeps them small. Later I read that L2 is a MAP estimate under a Gaussian prior on the weights, which is why it shrinks them.");

        Assert.Contains(PriorPoint.Text, feedback.Missed);
        Assert.Single(feedback.Flags);
    }

    [Theory]
    [InlineData("theory-regularisation-l1-l2-dropout", "L2 is not a Laplace prior on the weights, because that sharp peak at zero is what L1 brings.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "A common misconception is that L2 corresponds to a Laplace prior, which is why people expect sparse weights from it.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "L1 and L2 correspond to Laplace and Gaussian priors respectively, which is why only L1 favours exact zeros.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "L2 rather than L1 matches a Gaussian prior, which is why its weights stay small but dense.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "L2 weights rarely reach exactly zero because the pull fades as each weight shrinks.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "Unlike L2, which is Gaussian, L1 puts a Laplace prior on the weights, so it favours zeros.")]
    [InlineData("theory-normalisation-layers-and-placement", "Layer norm avoids batch statistics entirely, so it behaves the same at a batch size of one.")]
    [InlineData("theory-optimisers-sgd-momentum-vs-adamw", "Plain SGD without momentum keeps no optimizer state, which is why it is the cheapest in memory.")]
    [InlineData("theory-speculative-decoding", "Speculative decoding never changes the output distribution, because rejected tokens are resampled from the residual.")]
    [InlineData("theory-data-drift-vs-concept-drift", "Concept drift cannot be detected without labels, because the inputs may look exactly as before.")]
    [InlineData("theory-data-drift-vs-concept-drift", "Concept drift is hard to detect without labels, because the inputs may look exactly as before.")]
    [InlineData("theory-llm-as-judge-bias", "LLM judges are not objective, because they favour the first answer they read and the longer one.")]
    [InlineData("theory-llm-as-judge-bias", "A common misconception is that LLM judges are objective, which is why teams skip checking them against people.")]
    [InlineData("theory-prompt-regression-testing", "Temperature zero is not fully deterministic, because batching changes the order of floating-point sums.")]
    [InlineData("theory-continuous-batching-latency-throughput", "Is it true that prefill is memory bound? No, because it processes the whole prompt in parallel.")]
    [InlineData("theory-prompt-regression-testing", "A colleague insisted temperature 0 is fully deterministic, so I showed him two runs that differed.")]
    [InlineData("theory-llm-as-judge-bias", "It is often assumed that LLM judges are objective, yet they favour the first answer they read.")]
    [InlineData("theory-prompt-regression-testing", "Temperature zero is fully deterministic in theory, but batching changes the order of floating-point sums.")]
    [InlineData("theory-prompt-regression-testing", "Greedy decoding at temperature zero always gives nearly the same output, so exact-match tests are flaky.")]
    [InlineData("theory-data-drift-vs-concept-drift", "Concept drift can only be partly detected without labels, through proxies that arrive early.")]
    [InlineData("theory-hallucination-citation-grounding", "People often think RAG eliminates hallucinations, but the model still fills gaps when retrieval misses.")]
    [InlineData("theory-hallucination-citation-grounding", "Does RAG eliminate hallucinations? No, because retrieval can miss and the model then guesses.")]
    [InlineData("theory-hallucination-citation-grounding", "RAG reduces but never eliminates hallucinations, because retrieval can miss the passage that holds the answer.")]
    [InlineData("theory-hallucination-citation-grounding", "Retrieval helps, but that wouldn't mean RAG eliminates hallucinations, since retrieval can miss the passage.")]
    [InlineData("theory-hallucination-citation-grounding", "Vendors say RAG eliminates hallucinations, but the model still guesses when retrieval misses.")]
    [InlineData("theory-hallucination-citation-grounding", "RAG eliminates hallucinations only when retrieval finds the right passage, so recall matters most.")]
    [InlineData("theory-hallucination-citation-grounding", "RAG eliminates hallucinations, at least about facts in the passages, because the model can quote them.")]
    [InlineData("theory-hallucination-citation-grounding", "RAG eliminates hallucinations - but only when retrieval finds the passage that holds the answer.")]
    [InlineData("theory-continuous-batching-latency-throughput", "For a very short prompt prefill is memory bound too, because a handful of tokens cannot amortise the weight reads.")]
    [InlineData("theory-llm-as-judge-bias", "The pitch that LLM judges have no bias doesn't survive the data, because swapping the order changes verdicts.")]
    [InlineData("theory-continuous-batching-latency-throughput", "Prefill is memory bound like decode. Actually it is compute bound, because all prompt tokens share each weight read.")]
    [InlineData("theory-prompt-regression-testing", "The slide's point was that temperature zero is fully deterministic, and our reruns disproved it.")]
    [InlineData("theory-hallucination-citation-grounding", "The slide said RAG eliminates hallucinations, and our faithfulness eval disproved it.")]
    [InlineData("theory-hallucination-citation-grounding", "According to what the vendor said, RAG eliminates hallucinations - our faithfulness eval disproved that.")]
    [InlineData("theory-kv-cache-and-gqa", "It is pointless to cache the queries, because each one is used once, at its own step.")]
    [InlineData("theory-kv-cache-and-gqa", "Caching the queries is wasteful, because a past query is never read again.")]
    [InlineData("theory-prompt-regression-testing", "Temperature zero is fully deterministic on paper, but batch-dependent kernels break that in practice.")]
    [InlineData("theory-prompt-regression-testing", "Theoretically, temperature zero is fully deterministic, but batch-dependent kernels break that in practice.")]
    [InlineData("theory-llm-as-judge-bias", "LLM judges are objective-sounding, which makes their biases easy to miss.")]
    [InlineData("theory-scaled-dot-product-multi-head-attention", "FlashAttention is an approximation-free speedup: it tiles the computation and keeps the exact result.")]
    public void A_sentence_that_negates_contrasts_asks_about_or_reports_a_mistake_is_not_taken_for_it(string questionId, string answer)
    {
        AssertNotAccused(questionId, answer);
    }

    [Fact]
    public void Phrases_further_apart_than_a_few_words_are_not_a_statement_of_the_mistake()
    {
        var feedback = Judge(Regularisation, "L2 is what most deep learning libraries quietly call weight decay whatever the Laplace fans say, because the update is the same.");

        Assert.Empty(feedback.Flags);
    }

    [Theory]
    [InlineData("theory-regularisation-l1-l2-dropout", 2, "The L1 penalty is a MAP estimate under a Gaussian prior on the weights, so it shrinks them.")]
    [InlineData("theory-speculative-decoding", 1, "It uses a smaller model, so the output is a bit lower quality, but it is much faster.")]
    public void A_wrong_prior_named_through_the_map_estimate_and_output_called_lower_quality_are_found_as_mistakes(string questionId, int point, string answer)
    {
        AssertCorrected(questionId, point, answer);
    }

    [Theory]
    [InlineData("theory-regularisation-l1-l2-dropout", "The L1 penalty is a MAP estimate under a Laplace prior on the weights, so it favours zeros.")]
    [InlineData("theory-speculative-decoding", "The output is never lower quality, because rejected tokens are resampled from the residual distribution.")]
    [InlineData("theory-continuous-batching-latency-throughput", "Prefill is compute bound and decode is memory-bandwidth bound, so they are limited by different parts of the GPU.")]
    [InlineData("theory-continuous-batching-latency-throughput", "Unlike decode, prefill is not memory bound, because it processes the whole prompt in parallel.")]
    [InlineData("theory-data-drift-vs-concept-drift", "Data drift can be detected without labels, while concept drift needs outcomes, because it changes how labels follow from inputs.")]
    public void The_same_words_saying_what_is_true_are_not_taken_for_the_mistake(string questionId, string answer)
    {
        AssertNotAccused(questionId, answer);
    }

    [Theory]
    [InlineData("theory-mixed-precision-fp16-bf16", "BF16 swapped for FP16 needs loss scaling, because FP16's five exponent bits flush small gradients to zero.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "L2 plus an L1 term gives sparsity, which is exactly what the elastic net does.")]
    [InlineData("theory-regularisation-l1-l2-dropout", "L2 struggles to give sparse weights, because its pull fades as a weight nears zero.")]
    [InlineData("theory-probability-calibration", "High AUC means little about being calibrated, because AUC only checks the ordering.")]
    [InlineData("theory-data-drift-vs-concept-drift", "Concept drift is a change in outcomes for a stable input distribution.")]
    [InlineData("theory-rlhf-vs-dpo", "DPO removes the step that trains a reward model, because the policy itself defines the reward.")]
    public void A_word_between_the_phrases_that_makes_the_subject_something_else_or_turns_the_claim_round_is_not_the_mistake(string questionId, string answer)
    {
        AssertNotAccused(questionId, answer);
    }

    [Theory]
    [InlineData("theory-speculative-decoding", 1, "Speculative decoding is a little approximate, because draft tokens that are close enough are kept.")]
    [InlineData("theory-regularisation-l1-l2-dropout", 1, "L2 pushes useless weights to exactly zero, which is why it selects features.")]
    [InlineData("theory-llm-as-judge-bias", 0, "LLM judges are unbiased, free of the moods that sway human raters.")]
    public void A_hedge_an_adjective_or_a_word_opening_the_next_clause_does_not_hide_the_mistake(string questionId, int point, string answer)
    {
        AssertCorrected(questionId, point, answer);
    }

    [Theory]
    [InlineData("theory-mixture-of-experts-routing-and-cost", 0, "Every expert runs on every token, and the gate mixes the outputs.")]
    [InlineData("theory-mixture-of-experts-routing-and-cost", 0, "Each token passes through all experts before the outputs are mixed.")]
    [InlineData("theory-kv-cache-and-gqa", 0, "The KV cache stores past queries so attention is not recomputed.")]
    [InlineData("theory-kv-cache-and-gqa", 0, "KV caching reuses the queries of previous tokens at every step.")]
    public void Every_expert_working_on_every_token_and_cached_queries_said_plainly_are_found_as_mistakes(string questionId, int point, string answer)
    {
        AssertCorrected(questionId, point, answer);
    }

    [Theory]
    [InlineData("theory-mixture-of-experts-routing-and-cost", "The gate scores all experts for each token and keeps the top two.")]
    [InlineData("theory-mixture-of-experts-routing-and-cost", "The router computes a logit for every expert on every token, then keeps the top k.")]
    [InlineData("theory-kv-cache-and-gqa", "The cache serves the queries of later tokens, because past keys and values never change.")]
    [InlineData("theory-kv-cache-and-gqa", "Caching keys helps the queries of later tokens, which attend over every stored key.")]
    [InlineData("theory-kv-cache-and-gqa", "The KV cache stores what later queries need, which is the keys and values of earlier tokens.")]
    public void How_the_router_scores_experts_or_the_cache_serves_queries_is_not_the_mistake(string questionId, string answer)
    {
        AssertNotAccused(questionId, answer);
    }

    [Fact]
    public void A_mistake_is_found_whatever_the_letter_case()
    {
        var question = Bank.Find("theory-mixture-of-experts-routing-and-cost")!;

        var feedback = Judge(question, "Our MOE model SAVES MEMORY at serving time because each token only touches two experts.");

        Assert.Contains(feedback.Flags, f => f.Contains(question.Rubric[4].Mistake!.Correction, StringComparison.Ordinal));
    }
}
