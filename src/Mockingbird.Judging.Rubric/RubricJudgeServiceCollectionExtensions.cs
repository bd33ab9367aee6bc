using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Judging.Rubric;

public static class RubricJudgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the offline rubric judge as the judge, unless another judge was registered first, and binds
    /// <see cref="RubricJudgeOptions"/>. It credits points said in other words when an <see cref="ISentenceEmbedder"/>
    /// is registered and <c>Judging:MatchByMeaning</c> is on; a hosted service then loads the model at start, and
    /// without a host it loads on the first judged answer.
    /// </summary>
    public static IServiceCollection AddRubricJudge(this IServiceCollection services)
    {
        services.AddOptions<RubricJudgeOptions>()
            .BindConfiguration(RubricJudgeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => new RubricJudge(
            sp.GetRequiredService<IOptions<RubricJudgeOptions>>().Value.MatchByMeaning && sp.GetService<ISentenceEmbedder>() is { } embedder
                ? EvidenceByMeaning.Calibrated(embedder, sp.GetService<QuestionBank>()?.Questions)
                : null));
        services.TryAddSingleton<IAnswerJudge>(sp => sp.GetRequiredService<RubricJudge>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MeaningModelWarmUp>());
        return services;
    }
}

/// <summary>
/// Loads the embedding model in the background at start, so the first judged answer does not wait for it; and only
/// when the rubric judge is the judge that answers: behind an LLM judge it loads on the first fallback, which
/// may never come.
/// </summary>
internal sealed class MeaningModelWarmUp(RubricJudge rubricJudge, IAnswerJudge judge) : IHostedService
{
    private Task? warming;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (ReferenceEquals(judge, rubricJudge))
        {
            warming = Task.Run(() => rubricJudge.WarmUp(CancellationToken.None), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => warming ?? Task.CompletedTask;
}
