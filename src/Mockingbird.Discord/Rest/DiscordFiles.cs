using System.Text.Json.Serialization;
using Mockingbird.Discord.Wire;

namespace Mockingbird.Discord.Rest;

/// <summary>A file attached to a message: its bytes, the name Discord shows and a description for screen readers.</summary>
public sealed record DiscordFile(string FileName, ReadOnlyMemory<byte> Content, string ContentType, string? Description = null);

/// <summary>
/// A follow-up that carries files, as the <c>payload_json</c> part of a <c>multipart/form-data</c> request: each entry
/// of <see cref="Attachments"/> names, by its <c>id</c>, the <c>files[id]</c> part that holds its bytes.
/// </summary>
internal sealed record FollowupWithFiles(
    string? Content,
    AllowedMentions AllowedMentions,
    int? Flags,
    IReadOnlyList<AttachmentSlot> Attachments);

/// <param name="Id">The index of the <c>files[n]</c> part, as a string (Discord's snowflake type).</param>
internal sealed record AttachmentSlot(string Id, string Filename, string? Description);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FollowupWithFiles))]
internal sealed partial class DiscordFilesJson : JsonSerializerContext;
