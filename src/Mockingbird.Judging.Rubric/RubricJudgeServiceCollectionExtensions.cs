using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mockingbird.Interview.Judging;

namespace Mockingbird.Judging.Rubric;

public static class RubricJudgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the offline rubric judge as the judge, unless another judge was registered first. It credits points
    /// said in other words with the in-process embedding model, which a hosted service loads at start; without a host
    /// it loads on the first judged answer.
    /// </summary>
    public static IServiceCollection AddRubricJudge(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => LocalSentenceEmbedder.MiniLm(sp.GetService<ILogger<LocalSentenceEmbedder>>()));
        services.TryAddSingleton<ISentenceEmbedder>(sp => sp.GetRequiredService<LocalSentenceEmbedder>());
        services.TryAddSingleton(sp => EvidenceByMeaning.Calibrated(sp.GetRequiredService<ISentenceEmbedder>()));
        services.TryAddSingleton(sp => new RubricJudge(sp.GetRequiredService<EvidenceByMeaning>()));
        services.TryAddSingleton<IAnswerJudge>(sp => sp.GetRequiredService<RubricJudge>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SentenceModelWarmUp>());
        return services;
    }
}

/// <summary>Loads the embedding model in the background at start, so the first judged answer does not wait for it.</summary>
internal sealed class SentenceModelWarmUp(LocalSentenceEmbedder embedder) : IHostedService
{
    private Task? warming;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        warming = Task.Run(embedder.Warm, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => warming ?? Task.CompletedTask;
}
