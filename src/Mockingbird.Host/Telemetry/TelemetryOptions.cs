using System.ComponentModel.DataAnnotations;
using OpenTelemetry.Exporter;

namespace Mockingbird.Host.Telemetry;

/// <summary>Where metrics and traces go. With no endpoint here nor in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, nowhere.</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>An OTLP collector, e.g. <c>http://localhost:4317</c>; the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> works too.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How <see cref="OtlpEndpoint"/> is spoken to: gRPC (port 4317) or HTTP/protobuf (port 4318).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    internal Uri? Endpoint => Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint) && Endpoint is null)
        {
            yield return new ValidationResult(
                "Telemetry:OtlpEndpoint must be an absolute http(s) URL of an OTLP collector, such as http://localhost:4317; leave it unset to export nothing.",
                [nameof(OtlpEndpoint)]);
        }
    }
}
