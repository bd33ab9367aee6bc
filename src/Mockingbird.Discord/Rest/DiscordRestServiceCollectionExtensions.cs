using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms;

namespace Mockingbird.Discord.Rest;

internal static class DiscordRestServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDiscordRest"/> as a typed HttpClient sending through Discord's rate limiter and the
    /// shared retry pipeline. The caller registers <see cref="DiscordOptions"/> and <see cref="TimeProvider"/>.
    /// </summary>
    internal static IServiceCollection AddDiscordRest(this IServiceCollection services)
    {
        // Bound from "Discord:Rest" when the host has configuration; the defaults suit Discord as documented.
        services.AddOptions<DiscordRestOptions>()
            .Configure<IServiceProvider>((rest, provider) => provider.GetService<IConfiguration>()?.GetSection(DiscordRestOptions.Section).Bind(rest))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<DiscordRateLimiter>();
        services.TryAddSingleton<IPlatformRateLimits<DiscordRoute>>(sp => sp.GetRequiredService<DiscordRateLimiter>());
        services.TryAddSingleton(sp =>
        {
            var rest = sp.GetRequiredService<IOptions<DiscordRestOptions>>().Value;
            return ActivatorUtilities.CreateInstance<PlatformCallPipeline<DiscordRoute>>(
                sp, "Discord", rest);
        });
        services.TryAddTransient<PlatformCallHandler<DiscordRoute>>();

        services.AddHttpClient<IDiscordRest, DiscordRestClient>((provider, http) =>
            {
                http.BaseAddress = provider.GetRequiredService<IOptions<DiscordOptions>>().Value.ApiBaseUrl;

                // The pipeline bounds each attempt; HttpClient's own timeout would cut a call short mid rate-limit wait.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<PlatformCallHandler<DiscordRoute>>()

            // The factory's request logging writes full URLs, and callback and webhook URLs contain interaction tokens.
            .RemoveAllLoggers();

        return services;
    }
}
