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

        await StartAndStopAsync(services, until: () => !model.Calls.IsEmpty);

        Assert.Single(model.Calls);
    }

    [Fact]
    public async Task At_start_every_point_of_the_question_bank_is_embedded_so_no_stages_first_answer_waits_for_it()
    {
        var model = new RecordingEmbedder();
        Question[] bank = [SampleQuestions.Attention, SampleQuestions.KvCache, SampleQuestions.Incident];
        await using var services = Services(model, bank: new QuestionBank(bank));
        var everyPhrase = bank.SelectMany(q => q.Rubric).SelectMany(p => p.Evidence).Distinct().ToHashSet(StringComparer.Ordinal);

        await StartAndStopAsync(services, until: () => everyPhrase.IsSubsetOf(model.Embedded));

        Assert.Subset(model.Embedded.ToHashSet(StringComparer.Ordinal), everyPhrase);
    }

    [Fact]
    public async Task A_bot_stopped_while_the_bank_is_still_being_embedded_stops_it_rather_than_waiting()
    {
        var model = new EmbedderThatWaitsToBeCancelled();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<ISentenceEmbedder>(model);
        services.AddSingleton(new QuestionBank([SampleQuestions.Attention]));
        services.AddRubricJudge();
        await using var provider = services.BuildServiceProvider();
        var warmUp = provider.GetServices<IHostedService>().Single();
        await warmUp.StartAsync(CancellationToken.None);
        await Poll.EndsAsync(model.Embedding.Task, "the warm-up to start embedding the bank");

        await Poll.EndsAsync(warmUp.StopAsync(CancellationToken.None), "the stop");

        Assert.True(model.SawCancellation);
    }

    /// <summary>Loads at once, then holds every text until the caller gives up.</summary>
    private sealed class EmbedderThatWaitsToBeCancelled : ISentenceEmbedder
    {
        public TaskCompletionSource Embedding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool SawCancellation { get; private set; }

        public string ModelName => EvidenceByMeaning.MiniLmL6V2;

        public float[][]? TryEmbed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            if (texts.Count == 0)
            {
                return [];
            }

            Embedding.TrySetResult();
            cancellationToken.WaitHandle.WaitOne();
            SawCancellation = true;
            throw new OperationCanceledException(cancellationToken);
        }
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

    /// <summary>Stopping cancels the warm-up, so a test that wants it done waits <paramref name="until"/> it is.</summary>
    private static async Task StartAndStopAsync(ServiceProvider services, Func<bool>? until = null)
    {
        var hosted = services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        if (until is not null)
        {
            await Poll.UntilAsync(until, "the warm-up to finish");
        }

        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }
    }
}
