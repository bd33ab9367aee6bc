using System.Text.Json.Serialization;

namespace Mockingbird.Slack.Web;

/// <summary>What <c>files.getUploadURLExternal</c> hands back: where to send the bytes, and the file's id for completing.</summary>
public sealed record UploadTicket(Uri UploadUrl, string FileId);

/// <summary>One uploaded file as <c>files.completeUploadExternal</c> names it in its <c>files</c> argument.</summary>
public sealed record CompletedFile(string Id, string? Title = null);

internal sealed record UploadUrlAnswer(string? UploadUrl = null, string? FileId = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadUrlAnswer))]
[JsonSerializable(typeof(IReadOnlyList<CompletedFile>))]
internal sealed partial class SlackFilesJson : JsonSerializerContext;
