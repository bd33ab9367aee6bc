using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mockingbird.Platforms.Http;

public static class PlatformHttpClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a platform's API client as a typed HttpClient that sends every request through the platform's rate
    /// limits (<typeparamref name="TLimits"/>, one per process) and the shared retry pipeline, with its options bound
    /// from <paramref name="section"/> when the host has configuration (the defaults suit the platform as documented).
    /// The caller registers <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="platform">The platform's name, for logs.</param>
    /// <param name="baseAddress">The API's base address, from the platform's options.</param>
    public static IHttpClientBuilder AddPlatformHttpClient<TClient, TImplementation, TCall, TLimits, TOptions>(
        this IServiceCollection services,
        string platform,
        string section,
        Func<IServiceProvider, Uri> baseAddress)
        where TClient : class
        where TImplementation : class, TClient
        where TCall : IPlatformCall
        where TLimits : class, IPlatformRateLimits<TCall>
        where TOptions : PlatformCallOptions
    {
        services.AddOptions<TOptions>()
            .Configure<IServiceProvider>((settings, provider) => provider.GetService<IConfiguration>()?.GetSection(section).Bind(settings))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<TLimits>();
        services.TryAddSingleton<IPlatformRateLimits<TCall>>(sp => sp.GetRequiredService<TLimits>());
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<PlatformCallPipeline<TCall>>(
            sp, platform, (PlatformCallOptions)sp.GetRequiredService<IOptions<TOptions>>().Value));
        services.TryAddTransient<PlatformCallHandler<TCall>>();

        return services.AddHttpClient<TClient, TImplementation>((provider, http) =>
            {
                http.BaseAddress = baseAddress(provider);

                // The pipeline bounds each attempt; HttpClient's own timeout would cut a call short mid rate-limit wait.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<PlatformCallHandler<TCall>>()

            // The factory's request logging writes full URLs and can write headers: Discord's callback and webhook
            // URLs contain interaction tokens, and every request carries a token in a header.
            .RemoveAllLoggers();
    }
}
