using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Mockingbird.Judging.Rubric;

namespace Mockingbird.Judging.Embeddings;

public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>
    /// Registers all-MiniLM-L6-v2, run in this process, as the <see cref="ISentenceEmbedder"/> the rubric judge matches
    /// meaning with. Registering it loads nothing: the model loads once, when the rubric judge's warm-up or its first
    /// judged answer asks for it, and never when <c>Judging:MatchByMeaning</c> is off.
    /// </summary>
    public static IServiceCollection AddLocalSentenceEmbeddings(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => LocalSentenceEmbedder.MiniLm(sp.GetService<ILogger<LocalSentenceEmbedder>>()));
        services.TryAddSingleton<ISentenceEmbedder>(sp => sp.GetRequiredService<LocalSentenceEmbedder>());
        return services;
    }
}
