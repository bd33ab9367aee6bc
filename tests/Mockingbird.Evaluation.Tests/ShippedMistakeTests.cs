using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Evaluation.Tests;

/// <summary>
/// Every common mistake written into the bank is shown here said the way a candidate would say it, so a pattern that
/// can never fire (a typo, a word the answer splitter reads differently) fails a test instead of sitting there unused.
/// </summary>
public sealed class ShippedMistakeTests
{
    private static readonly QuestionBank Bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);

    public static TheoryData<string, int, string> SaidByACandidate() => new()
    {
        { "theory-bias-variance-diagnosis", 0, "When the train-validation gap is large the model has high bias, so I would add capacity." },
        { "theory-regularisation-l1-l2-dropout", 1, "L2 gives sparse weights because the penalty keeps pushing every weight down to zero." },
        { "theory-regularisation-l1-l2-dropout", 2, "In Bayesian terms L2 regularisation corresponds to a Laplace prior on the weights, which is why it keeps them small." },
        { "theory-imbalanced-classification-metrics", 0, "Accuracy is fine here because the model will still be right on most transactions." },
        { "theory-gradient-boosting-vs-random-forest", 1, "Gradient boosting builds its trees in parallel on bootstrap samples, which is why it trains so fast." },
        { "theory-probability-calibration", 0, "A high AUC means the model is well calibrated, so the scores can be read as probabilities." },
        { "theory-data-drift-vs-concept-drift", 0, "Data drift is a change in the relationship between the features and the label, so the model's mapping goes stale." },
        { "theory-loss-function-choice", 0, "MSE assumes Laplace noise, which is why it is robust to the occasional outlier." },
        { "theory-embeddings-contrastive-training", 3, "Cosine similarity depends on the magnitude of the vectors, so longer documents score higher." },
        { "theory-scaled-dot-product-multi-head-attention", 4, "FlashAttention approximates the attention matrix with a low-rank sketch, which is why it is so fast." },
        { "theory-kv-cache-and-gqa", 0, "The KV cache stores the queries of every earlier token so that each step can reuse them." },
        { "theory-rope-and-long-context", 2, "RoPE adds a position vector to each token embedding before the first layer, so the model knows the order." },
        { "theory-hybrid-dense-sparse-retrieval", 1, "BM25 needs training on labelled query pairs before it can rank, which makes it costly to set up." },
        { "theory-cross-encoder-reranking", 2, "A cross encoder embeds each document independently, so its vectors sit in the index ahead of time." },
        { "theory-speculative-decoding", 1, "Speculative decoding lowers quality a little because the draft model's guesses are kept when they are close enough." },
        { "theory-lora-peft-and-forgetting", 0, "LoRA updates all the weights of the model but with a smaller learning rate, which is why it forgets less." },
        { "theory-rlhf-vs-dpo", 2, "DPO still trains a reward model first and then optimises against it, only with a simpler loss." },
        { "theory-optimisers-sgd-momentum-vs-adamw", 3, "AdamW is the same as Adam with an L2 term added to the loss, so the two are interchangeable." },
        { "theory-optimisers-sgd-momentum-vs-adamw", 4, "AdamW stores no optimizer state at all, which is why it is so popular for large models." },
        { "theory-normalisation-layers-and-placement", 1, "Layer norm normalises each feature across the batch, so it needs a large batch to be stable." },
        { "theory-mixed-precision-fp16-bf16", 1, "bf16 has more precision than fp16 because it keeps more mantissa bits for the small values." },
        { "theory-mixed-precision-fp16-bf16", 4, "bf16 still needs loss scaling because small gradients underflow just as they do in fp16." },
        { "theory-fsdp-zero-sharding-stages", 1, "ZeRO stage 1 already shards the parameters across ranks, which is where most of the memory goes." },
        { "theory-mixture-of-experts-routing-and-cost", 4, "An MoE model needs less memory at serving time because only two experts are loaded for each token." },
        { "coding-numpy-mlp-backprop", 4, "The weights start at zero so that training is reproducible from one run to the next." },
        { "theory-mixture-of-experts-routing-and-cost", 0, "Every expert processes every token and the router only weights their outputs, which is why MoE is accurate." },
        { "theory-continuous-batching-latency-throughput", 0, "Prefill is memory-bandwidth bound, since it has to read the weights once for every prompt token." },
        { "theory-data-drift-vs-concept-drift", 2, "Concept drift is detectable without labels, because the feature distributions move when it happens." },
        { "theory-llm-as-judge-bias", 0, "LLM judges are objective, because they apply the same rubric to every answer." },
        { "theory-prompt-regression-testing", 3, "Temperature zero is fully deterministic, so one run per test case is enough to catch a regression." },
        { "theory-hallucination-citation-grounding", 0, "RAG eliminates hallucinations, because the model can only answer from the documents we give it." },
        { "theory-llm-as-judge-bias", 0, "LLM judges are unbiased, so we often use them instead of people for final scores." },
        { "theory-mixture-of-experts-routing-and-cost", 4, "MoE saves memory because only two experts are active per token." },
    };

    [Fact]
    public void Every_common_mistake_in_the_bank_has_an_example_here()
    {
        var shown = SaidByACandidate().Select(row => ((string)row[0], (int)row[1])).ToHashSet();

        var untried = Bank.Questions
            .SelectMany(q => q.Rubric.Select((point, index) => (q.Id, Index: index, point.Mistake)))
            .Where(p => p.Mistake is not null && !shown.Contains((p.Id, p.Index)))
            .Select(p => $"{p.Id} point {p.Index}");

        Assert.Empty(untried);
    }

    /// <summary>
    /// Sentences that an outside try of the shipped patterns wrote to trip them, each true or hedged: reported ("vendors
    /// say…"), asked, limited ("…only when retrieval finds the passage"), nuanced ("at very large batch sizes…") or
    /// compared. Some are for mistakes the bank no longer ships, in case they come back.
    /// </summary>
    public static TheoryData<string, string> SaidByCandidatesWhoKnowTheTrap()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(RepositoryPaths.Root, "tests", "Mockingbird.Evaluation.Tests", "Fixtures", "said-by-candidates-who-know-the-trap.tsv")))
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                var fields = line.Split('\t');
                data.Add(fields[0], fields[1]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SaidByCandidatesWhoKnowTheTrap))]
    public void A_candidate_who_knows_the_trap_is_not_accused_of_it(string questionId, string sentence)
    {
        var feedback = RubricJudge.Judge(new JudgeRequest(Bank.Find(questionId)!, null, sentence));

        Assert.DoesNotContain(feedback.Flags, f => f.Contains("common mistake", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SaidByACandidate))]
    public void A_shipped_mistake_said_by_a_candidate_is_corrected_and_its_point_not_credited(string questionId, int pointIndex, string wrong)
    {
        var question = Bank.Find(questionId)!;
        var point = question.Rubric[pointIndex];

        var feedback = RubricJudge.Judge(new JudgeRequest(question, null, wrong));

        Assert.Contains(feedback.Flags, f => f.Contains(point.Mistake!.Correction, StringComparison.Ordinal) && f.Contains(wrong, StringComparison.Ordinal));
        Assert.Contains(point.Text, feedback.Missed);
    }
}
