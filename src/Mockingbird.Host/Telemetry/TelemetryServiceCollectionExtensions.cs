using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Interview.Telemetry;
using Mockingbird.Judging.Llm;
using Mockingbird.Platforms;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mockingbird.Host.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The meters every part of Mockingbird records to, and the spans it starts.</summary>
    public static readonly IReadOnlyList<string> Sources = [InterviewTelemetry.Name, LlmTelemetry.Name, PlatformTelemetry.Name];

    /// <summary>
    /// The meters, through <see cref="System.Diagnostics.Metrics.IMeterFactory"/>, for any listener (a collector in a
    /// test, <c>dotnet-counters</c>). Cheap with nobody listening, so the terminal gets them too.
    /// </summary>
    public static IServiceCollection AddMockingbirdMeters(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<InterviewTelemetry>();
        services.TryAddSingleton<LlmTelemetry>();
        services.TryAddSingleton<PlatformTelemetry>();
        return services;
    }

    /// <summary>
    /// The meters, and OpenTelemetry exporting them and the spans over OTLP when an endpoint is configured
    /// (<c>Telemetry:OtlpEndpoint</c> or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). Without one no exporter,
    /// reader or processor is registered: nothing runs in the background and nothing is sent.
    /// </summary>
    public static IServiceCollection AddBotTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMockingbirdMeters();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var settings = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var standard = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (settings.Endpoint is null && !standard)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("mockingbird"))
            .WithMetrics(metrics => metrics
                .AddMeter([.. Sources])
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())

            // No HttpClient spans: their URLs would carry Discord's interaction and webhook tokens. The metrics above
            // name only the host, method and status.
            .WithTracing(tracing => tracing
                .AddSource([.. Sources])
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = context => !context.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal)));
        if (settings.Endpoint is { } endpoint)
        {
            telemetry.UseOtlpExporter(settings.OtlpProtocol, endpoint);
        }
        else
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
