using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Evaluation.Tests;

/// <summary>The question's own words said back as an answer, judged as the bot judges: phrases and meaning, on the real bank.</summary>
public sealed class QuestionSaidBackTests
{
    private const string KvCache = "theory-kv-cache-and-gqa";

    private static readonly QuestionBank Bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);

    [Fact]
    public async Task The_prompt_said_back_as_a_statement_earns_no_point_and_no_depth()
    {
        var feedback = await JudgeAsync(
            "The KV cache is what makes autoregressive decoding fast, and it becomes the main memory bottleneck at long context and high concurrency, so MQA and GQA help.");

        Assert.Empty(feedback.Covered);
        Assert.Equal(1, feedback.Dimensions.Single(d => d.Name == "depth").Score);
    }

    [Theory]
    [InlineData("The KV cache makes autoregressive decoding fast, so it is definitely useful.")]
    [InlineData("The KV cache becomes the main memory bottleneck at long context and high concurrency because it obviously grows.")]
    [InlineData("MQA and GQA help because they clearly shrink things.")]
    [InlineData("Autoregressive decoding is fast since the KV cache is simply reused.")]
    public async Task The_prompt_said_back_with_filler_words_earns_no_point_and_no_depth(string answer)
    {
        var feedback = await JudgeAsync(answer);

        Assert.Empty(feedback.Covered);
        Assert.Equal(1, feedback.Dimensions.Single(d => d.Name == "depth").Score);
    }

    [Fact]
    public async Task A_sentence_in_the_questions_words_that_adds_its_own_still_earns_its_point()
    {
        var feedback = await JudgeAsync(
            "The KV cache makes autoregressive decoding fast because the keys and values of earlier tokens never change, so each step only projects the new token.");

        Assert.Contains(Bank.Find(KvCache)!.Rubric[0].Text, feedback.Covered.Select(c => c.Point));
    }

    private static Task<Feedback> JudgeAsync(string answer) =>
        OfflineJudgeOnTheEvalSetTests.MeaningJudge.Value.JudgeAsync(new JudgeRequest(Bank.Find(KvCache)!, null, answer), CancellationToken.None);
}
