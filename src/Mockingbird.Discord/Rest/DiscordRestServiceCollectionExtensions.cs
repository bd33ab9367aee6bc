using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms.Http;

namespace Mockingbird.Discord.Rest;

internal static class DiscordRestServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDiscordRest"/> as a typed HttpClient sending through Discord's rate limiter and the
    /// shared retry pipeline, with <see cref="DiscordRestOptions"/> from "Discord:Rest". The caller registers
    /// <see cref="DiscordOptions"/> and <see cref="TimeProvider"/>.
    /// </summary>
    internal static IServiceCollection AddDiscordRest(this IServiceCollection services)
    {
        services.AddPlatformHttpClient<IDiscordRest, DiscordRestClient, DiscordRoute, DiscordRateLimiter, DiscordRestOptions>(
            "Discord",
            DiscordRestOptions.Section,
            provider => provider.GetRequiredService<IOptions<DiscordOptions>>().Value.ApiBaseUrl);
        return services;
    }
}
