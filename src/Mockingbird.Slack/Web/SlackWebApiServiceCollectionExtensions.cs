using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms.Http;

namespace Mockingbird.Slack.Web;

internal static class SlackWebApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISlackWebApi"/> as a typed HttpClient sending through Slack's rate limiter and the shared
    /// retry pipeline, with <see cref="SlackWebApiOptions"/> from "Slack:Web". The caller registers
    /// <see cref="SlackOptions"/> and <see cref="TimeProvider"/>.
    /// </summary>
    internal static IServiceCollection AddSlackWebApi(this IServiceCollection services)
    {
        services.AddPlatformHttpClient<ISlackWebApi, SlackWebApiClient, SlackCall, SlackRateLimiter, SlackWebApiOptions>(
            "Slack",
            SlackWebApiOptions.Section,
            provider => provider.GetRequiredService<IOptions<SlackOptions>>().Value.ApiBaseUrl);
        return services;
    }
}
