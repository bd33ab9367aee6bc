using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Judging.Rubric.Tests;

/// <summary><c>Judging:MatchByMeaning</c>: on by default, off for a machine too small for the model; the model loads only when it will be used.</summary>
public sealed class MatchByMeaningSwitchTests
{
    private const string SaidInOtherWords = "Once the softmax is that peaked, hardly any learning signal flows back through it, so training stalls because the derivatives are nearly zero.";

    [Fact]
    public async Task By_default_the_rubric_judge_matches_meaning_with_the_registered_model_and_says_so()
    {
        var model = new RecordingEmbedder();
        await using var services = Services(model);

        var feedback = await Judge(services);

        Assert.True(services.GetRequiredService<RubricJudge>().MatchesByMeaning);
        Assert.Equal(RubricJudge.JudgeLabelWithMeaning(EvidenceByMeaning.MiniLmL6V2), feedback.Label);
        Assert.NotEmpty(model.Calls);
    }

    [Fact]
    public async Task Switched_off_the_judge_matches_phrases_alone_says_so_and_never_asks_the_model()
    {
        var model = new RecordingEmbedder();
        await using var services = Services(model, matchByMeaning: "false");

        await StartAndStopAsync(services);
        var feedback = await Judge(services);

        Assert.False(services.GetRequiredService<RubricJudge>().MatchesByMeaning);
        Assert.Equal(RubricJudge.JudgeLabel, feedback.Label);
        Assert.Empty(model.Calls);
    }

    [Fact]
    public async Task A_match_by_meaning_setting_that_is_not_true_or_false_stops_the_start_and_names_the_setting()
    {
        await using var services = Services(new RecordingEmbedder(), matchByMeaning: "sometimes");

        var error = Assert.ThrowsAny<InvalidOperationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Judging:MatchByMeaning", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_is_loaded_at_start_when_the_rubric_judge_answers()
    {
        var model = new RecordingEmbedder();
        await using var services = Services(model);

        await StartAndStopAsync(services);

        Assert.Single(model.Calls);
    }

    [Fact]
    public async Task The_registered_question_bank_is_what_an_answer_is_told_apart_from_while_the_model_alone_loads_at_start()
    {
        var model = new RecordingEmbedder();
        Question[] bank = [SampleQuestions.Attention, SampleQuestions.KvCache];
        await using var services = Services(model, bank: new QuestionBank(bank));

        await StartAndStopAsync(services);
        Assert.Single(model.Calls);
        await Judge(services);

        // The other question's points are the rivals an answer to the attention question is weighed against.
        Assert.Subset(model.Embedded.ToHashSet(StringComparer.Ordinal), SampleQuestions.KvCache.Rubric.SelectMany(p => p.Evidence).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_model_is_not_loaded_at_start_when_another_judge_answers()
    {
        var model = new RecordingEmbedder();
        await using var services = Services(model, otherJudge: Mock.Of<IAnswerJudge>());

        await StartAndStopAsync(services);

        Assert.Empty(model.Calls);
    }

    private static ServiceProvider Services(RecordingEmbedder model, string? matchByMeaning = null, IAnswerJudge? otherJudge = null, QuestionBank? bank = null)
    {
        var settings = new Dictionary<string, string?>();
        if (matchByMeaning is not null)
        {
            settings[$"{RubricJudgeOptions.Section}:{nameof(RubricJudgeOptions.MatchByMeaning)}"] = matchByMeaning;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        if (otherJudge is not null)
        {
            services.AddSingleton(otherJudge);
        }

        if (bank is not null)
        {
            services.AddSingleton(bank);
        }

        services.AddSingleton<ISentenceEmbedder>(model);
        services.AddRubricJudge();
        return services.BuildServiceProvider();
    }

    private static Task<Feedback> Judge(ServiceProvider services) =>
        services.GetRequiredService<IAnswerJudge>().JudgeAsync(new JudgeRequest(SampleQuestions.Attention, null, SaidInOtherWords), CancellationToken.None);

    /// <summary>Stopping waits for the warm-up, so what it loaded is known afterwards.</summary>
    private static async Task StartAndStopAsync(ServiceProvider services)
    {
        var hosted = services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }
    }
}
