using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mockingbird.Host.Cli;
using Mockingbird.Interview.Judging;
using Mockingbird.Judging.Embeddings;
using Mockingbird.Judging.Rubric;
using Mockingbird.Interview.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Host.Tests;

/// <summary>The judge the host composes with no LLM configured: the rubric judge, matching meaning unless switched off.</summary>
public sealed class ShippedJudgeTests
{
    private const string QuestionId = "theory-scaled-dot-product-multi-head-attention";

    private static async Task<Feedback> JudgeAsync(Dictionary<string, string?> settings)
    {
        settings["QuestionBank:Directory"] = RepositoryPaths.QuestionBank;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInterviewCore(configuration);
        await using var provider = services.BuildServiceProvider();
        var question = provider.GetRequiredService<QuestionBank>().Find(QuestionId) ?? throw new InvalidOperationException($"{QuestionId} is not in the bank.");
        return await provider.GetRequiredService<IAnswerJudge>().JudgeAsync(
            new JudgeRequest(question, null, "Large logits make the softmax peaked, so hardly any learning signal flows back because its derivatives are nearly zero."),
            CancellationToken.None);
    }

    [Fact]
    public async Task The_shipped_host_judges_by_meaning_with_the_in_process_model()
    {
        var feedback = await JudgeAsync([]);

        Assert.Equal(RubricJudge.JudgeLabelWithMeaning(LocalSentenceEmbedder.MiniLmName), feedback.Label);
    }

    [Fact]
    public async Task With_matching_by_meaning_switched_off_the_host_judges_by_phrases_alone()
    {
        var feedback = await JudgeAsync(new() { ["Judging:MatchByMeaning"] = "false" });

        Assert.Equal(RubricJudge.JudgeLabel, feedback.Label);
    }
}
