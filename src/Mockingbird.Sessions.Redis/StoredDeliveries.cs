using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// A pending delivery as stored: the schema version, a marker and the actions' JSON compressed with Brotli. A
/// delivery is written on every judged turn and read back only when its job is repeated, and it is the largest thing
/// a session holds while its completion waits, so it is kept at about half its JSON for a few microseconds of the
/// worker's time. Deliveries written as plain JSON (<c>schema|json</c>) are still read.
/// </summary>
internal static class StoredDeliveries
{
    /// <summary>
    /// Brotli's fastest quality and a 64 KB window: quality 5 saved another 100 bytes of a 900-byte delivery but took
    /// four times as long, most of it setting up its larger tables, which a turn pays cold.
    /// </summary>
    private const int Quality = 1;

    private const int Window = 16;

    private static readonly byte[] CompressedPrefix = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{InterviewSession.SchemaVersion}b|"));

    private static readonly byte[] PlainPrefix = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{InterviewSession.SchemaVersion}|"));

    public static byte[] Encode(IReadOnlyList<InterviewAction> actions) =>
        ScratchJson.Encode(actions, RedisJson.Default.IReadOnlyListInterviewAction, [], compressFrom: -1, WriteCompressedPrefix, Quality, Window);

    private static int WriteCompressedPrefix(int jsonLength, Span<byte> into)
    {
        CompressedPrefix.CopyTo(into);
        return CompressedPrefix.Length;
    }

    /// <returns><c>null</c> when the value was written by another schema version or is not a delivery.</returns>
    /// <exception cref="JsonException">The value is marked as a delivery of this version but is not valid.</exception>
    /// <exception cref="NotSupportedException">It holds an action of no known type.</exception>
    public static IReadOnlyList<InterviewAction>? Decode(byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var actions = Read(stored);
        return actions is not null && actions.Any(a => a is null) ? throw new JsonException("The stored delivery holds an empty action.") : actions;
    }

    private static IReadOnlyList<InterviewAction>? Read(byte[] stored)
    {
        if (stored.AsSpan().StartsWith(PlainPrefix))
        {
            return JsonSerializer.Deserialize(stored.AsSpan(PlainPrefix.Length), RedisJson.Default.IReadOnlyListInterviewAction) ?? [];
        }

        if (!stored.AsSpan().StartsWith(CompressedPrefix))
        {
            return null;
        }

        using var compressed = new MemoryStream(stored, CompressedPrefix.Length, stored.Length - CompressedPrefix.Length, writable: false);
        using var brotli = new BrotliStream(compressed, CompressionMode.Decompress);
        try
        {
            return JsonSerializer.Deserialize(brotli, RedisJson.Default.IReadOnlyListInterviewAction) ?? [];
        }
        catch (InvalidOperationException ex)
        {
            // Brotli reports a corrupt stream this way; to the store it is one more unreadable value.
            throw new JsonException("The stored delivery is not valid Brotli.", ex);
        }
    }
}
