using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Serializes and compresses in buffers kept per thread, so a stored value costs one allocation of its own size.
/// Every turn writes a session and its feedback, and the buffers each write used to grow were about a quarter of the
/// benchmark host's garbage per turn. Only synchronous code uses them, so no two writes on a thread overlap.
/// </summary>
internal static class ScratchJson
{
    /// <summary>A buffer grown past this by a rare large value is let go rather than kept for the thread's lifetime.</summary>
    private const int KeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_json;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static byte[]? t_compressed;

    /// <summary>
    /// <paramref name="prefix"/>, then <paramref name="value"/> as JSON — as is when it is at most
    /// <paramref name="compressFrom"/> bytes, otherwise Brotli-compressed after <paramref name="compressedPrefix"/>
    /// (given the JSON's length when it is to be written).
    /// </summary>
    public static byte[] Encode<T>(
        T value,
        JsonTypeInfo<T> typeInfo,
        ReadOnlySpan<byte> prefix,
        int compressFrom,
        CompressedPrefix compressedPrefix,
        int quality,
        int window)
    {
        var json = t_json ??= new ArrayBufferWriter<byte>(4096);
        json.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(json);
        try
        {
            writer.Reset(json);
            JsonSerializer.Serialize(writer, value, typeInfo);
            writer.Flush();
            var written = json.WrittenSpan;
            if (written.Length <= compressFrom)
            {
                var plain = new byte[prefix.Length + written.Length];
                prefix.CopyTo(plain);
                written.CopyTo(plain.AsSpan(prefix.Length));
                return plain;
            }

            Span<byte> head = stackalloc byte[16];
            var headLength = compressedPrefix(written.Length, head);
            var compressed = t_compressed is { } kept && kept.Length >= BrotliEncoder.GetMaxCompressedLength(written.Length)
                ? kept
                : t_compressed = new byte[BrotliEncoder.GetMaxCompressedLength(written.Length)];
            if (!BrotliEncoder.TryCompress(written, compressed, out var length, quality, window))
            {
                throw new InvalidOperationException("Brotli could not compress a value into its own worst-case length.");
            }

            var stored = new byte[headLength + length];
            head[..headLength].CopyTo(stored);
            compressed.AsSpan(0, length).CopyTo(stored.AsSpan(headLength));
            return stored;
        }
        finally
        {
            writer.Reset();
            if (json.Capacity > KeptCapacity)
            {
                t_json = null;
                t_writer = null;
            }

            if (t_compressed?.Length > KeptCapacity)
            {
                t_compressed = null;
            }
        }
    }

    /// <summary>Writes what stands before compressed JSON of <paramref name="jsonLength"/> bytes; returns its length.</summary>
    public delegate int CompressedPrefix(int jsonLength, Span<byte> into);
}
