using System.Text.Json.Serialization;

namespace Mockingbird.Slack.Web;

/// <summary>
/// What every Web API answer shares: <c>ok</c>, <c>error</c>, and the warnings Slack attaches to calls it accepted
/// (<c>warning</c>, comma-separated, and <c>response_metadata.warnings</c>).
/// </summary>
internal sealed record SlackReply(bool Ok, string? Error = null, string? Warning = null, SlackReplyMetadata? ResponseMetadata = null)
{
    /// <summary>Every warning code, without repeats.</summary>
    public IReadOnlyList<string> Warnings()
    {
        var codes = new List<string>();
        if (Warning is { Length: > 0 })
        {
            codes.AddRange(Warning.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        if (ResponseMetadata?.Warnings is { } more)
        {
            codes.AddRange(more.Where(w => !string.IsNullOrWhiteSpace(w)));
        }

        return [.. codes.Distinct(StringComparer.Ordinal)];
    }
}

internal sealed record SlackReplyMetadata(IReadOnlyList<string>? Warnings = null);

/// <summary>The shared wire context has no type for <c>response_metadata</c>; this one reads just the envelope.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SlackReply))]
internal sealed partial class SlackReplyJson : JsonSerializerContext;
