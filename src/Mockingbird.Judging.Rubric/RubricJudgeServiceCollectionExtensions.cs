using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Interview.Judging;

namespace Mockingbird.Judging.Rubric;

public static class RubricJudgeServiceCollectionExtensions
{
    /// <summary>Registers the offline rubric judge as the judge, unless another judge was registered first.</summary>
    public static IServiceCollection AddRubricJudge(this IServiceCollection services)
    {
        services.TryAddSingleton<RubricJudge>();
        services.TryAddSingleton<IAnswerJudge>(sp => sp.GetRequiredService<RubricJudge>());
        return services;
    }
}
