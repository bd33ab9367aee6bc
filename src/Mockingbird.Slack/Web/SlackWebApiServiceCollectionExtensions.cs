using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms;

namespace Mockingbird.Slack.Web;

internal static class SlackWebApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISlackWebApi"/> as a typed HttpClient sending through the shared rate limiter and retry
    /// pipeline. The caller registers <see cref="SlackOptions"/> and <see cref="TimeProvider"/>.
    /// </summary>
    internal static IServiceCollection AddSlackWebApi(this IServiceCollection services)
    {
        // Bound from "Slack:Web" when the host has configuration; the defaults suit Slack as documented.
        services.AddOptions<SlackWebApiOptions>()
            .Configure<IServiceProvider>((web, provider) => provider.GetService<IConfiguration>()?.GetSection(SlackWebApiOptions.Section).Bind(web))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<SlackRateLimiter>();
        services.TryAddSingleton<IPlatformRateLimits<SlackCall>>(sp => sp.GetRequiredService<SlackRateLimiter>());
        services.TryAddSingleton(sp =>
        {
            var web = sp.GetRequiredService<IOptions<SlackWebApiOptions>>().Value;
            return ActivatorUtilities.CreateInstance<PlatformCallPipeline<SlackCall>>(
                sp, "Slack", web);
        });
        services.TryAddTransient<PlatformCallHandler<SlackCall>>();

        services.AddHttpClient<ISlackWebApi, SlackWebApiClient>((provider, http) =>
            {
                http.BaseAddress = provider.GetRequiredService<IOptions<SlackOptions>>().Value.ApiBaseUrl;

                // The pipeline bounds each attempt; HttpClient's own timeout would cut a call short mid rate-limit wait.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<PlatformCallHandler<SlackCall>>()

            // The factory's request logging can write headers; nothing that carries a token goes to a log.
            .RemoveAllLoggers();

        return services;
    }
}
