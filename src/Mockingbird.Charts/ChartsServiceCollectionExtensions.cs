using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Chat.Progress;

namespace Mockingbird.Charts;

public static class ChartsServiceCollectionExtensions
{
    /// <summary>Registers the headless PNG renderer of progress charts that chat replies attach.</summary>
    public static IServiceCollection AddProgressCharts(this IServiceCollection services)
    {
        services.TryAddSingleton<IProgressChart, ScottPlotProgressChart>();
        return services;
    }
}
