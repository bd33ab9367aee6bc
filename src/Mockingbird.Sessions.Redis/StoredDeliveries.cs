using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// A pending delivery as stored: the schema version, a marker and the actions' JSON compressed with Brotli, with every
/// text the question bank holds (a question, a follow-up, a rubric point) named by its mark and empty fields left out.
/// A delivery is written on every judged turn and read back only when its job is repeated, and until its job's
/// completion is sent it is the largest thing a session holds besides the session: the rubric points an answer
/// missed were about half of it. Deliveries written before marks (<c>schema b|</c>) or as plain JSON
/// (<c>schema|json</c>) are still read.
/// </summary>
internal sealed class StoredDeliveries
{
    /// <summary>
    /// Brotli's fastest quality and a 64 KB window: quality 5 saved another 100 bytes of a 900-byte delivery but took
    /// four times as long, most of it setting up its larger tables, which a turn pays cold.
    /// </summary>
    private const int Quality = 1;

    private const int Window = 16;

    private static readonly byte[] MarkedPrefix = Prefix("m|");

    private static readonly byte[] CompressedPrefix = Prefix("b|");

    private static readonly byte[] PlainPrefix = Prefix("|");

    private readonly JsonTypeInfo<IReadOnlyList<InterviewAction>> _marked;

    /// <param name="bank">The texts to store by mark; <see cref="BankMarks.None"/> stores every text as it is.</param>
    public StoredDeliveries(BankMarks bank)
    {
        var options = new JsonSerializerOptions(RedisJson.Default.Options)
        {
            TypeInfoResolver = RedisJson.Default,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new BankTexts(bank) },
        };
        _marked = (JsonTypeInfo<IReadOnlyList<InterviewAction>>)options.GetTypeInfo(typeof(IReadOnlyList<InterviewAction>));
    }

    public byte[] Encode(IReadOnlyList<InterviewAction> actions) =>
        ScratchJson.Encode(actions, _marked, [], compressFrom: -1, WriteMarkedPrefix, Quality, Window);

    private static int WriteMarkedPrefix(int jsonLength, Span<byte> into)
    {
        MarkedPrefix.CopyTo(into);
        return MarkedPrefix.Length;
    }

    /// <returns><c>null</c> when the value was written by another schema version or is not a delivery.</returns>
    /// <exception cref="JsonException">The value is marked as a delivery of this version but is not valid.</exception>
    /// <exception cref="NotSupportedException">It holds an action of no known type.</exception>
    public IReadOnlyList<InterviewAction>? Decode(byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var actions = Read(stored);
        return actions is not null && actions.Any(a => a is null) ? throw new JsonException("The stored delivery holds an empty action.") : actions;
    }

    private IReadOnlyList<InterviewAction>? Read(byte[] stored)
    {
        if (stored.AsSpan().StartsWith(PlainPrefix))
        {
            return JsonSerializer.Deserialize(stored.AsSpan(PlainPrefix.Length), RedisJson.Default.IReadOnlyListInterviewAction) ?? [];
        }

        return stored.AsSpan().StartsWith(MarkedPrefix) ? Decompressed(stored, MarkedPrefix.Length, _marked)
            : stored.AsSpan().StartsWith(CompressedPrefix) ? Decompressed(stored, CompressedPrefix.Length, RedisJson.Default.IReadOnlyListInterviewAction)
            : null;
    }

    private static IReadOnlyList<InterviewAction> Decompressed(byte[] stored, int from, JsonTypeInfo<IReadOnlyList<InterviewAction>> json)
    {
        using var compressed = new MemoryStream(stored, from, stored.Length - from, writable: false);
        using var brotli = new BrotliStream(compressed, CompressionMode.Decompress);
        try
        {
            return JsonSerializer.Deserialize(brotli, json) ?? [];
        }
        catch (InvalidOperationException ex)
        {
            // Brotli reports a corrupt stream this way; to the store it is one more unreadable value.
            throw new JsonException("The stored delivery is not valid Brotli.", ex);
        }
    }

    private static byte[] Prefix(string marker) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{InterviewSession.SchemaVersion}{marker}"));

    /// <summary>
    /// Writes a text of the bank as <c>~</c> and the eight hex digits of its mark; one quoting a text of the bank (a drill
    /// naming its point) as <c>~</c>, the mark, where the quoted text was cut out, <c>:</c> and the rest; and any other
    /// text that starts with <c>~</c> with one more in front, so that nothing a candidate or a judge wrote can be read
    /// back as a mark. A mark the bank no longer has (it was reworded before a repeated job posted) reads as
    /// <see cref="Changed"/>.
    /// </summary>
    private sealed class BankTexts(BankMarks bank) : JsonConverter<string>
    {
        public const string Changed = "(changed in the question bank since this feedback was saved)";

        private const char Sign = '~';

        private const int MarkDigits = 8;

        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("A stored delivery holds a value where a text belongs.");
            if (text is not [Sign, ..])
            {
                return text;
            }

            if (text is [Sign, Sign, ..])
            {
                return text[1..];
            }

            if (text.Length < 1 + MarkDigits || !uint.TryParse(text.AsSpan(1, MarkDigits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mark))
            {
                throw new JsonException("A stored delivery holds a malformed mark.");
            }

            if (text.Length == 1 + MarkDigits)
            {
                return bank.TextOf(mark) ?? Changed;
            }

            var rest = text.AsSpan(1 + MarkDigits);
            var colon = rest.IndexOf(':');
            return colon > 0 && int.TryParse(rest[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var at) && at >= 1 && at <= rest.Length - colon - 1
                ? bank.Unquoted(rest[(colon + 1)..].ToString(), at, mark, Changed)
                : throw new JsonException("A stored delivery holds a malformed quoted mark.");
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
        {
            if (bank.TryMark(value, out var mark))
            {
                writer.WriteStringValue(string.Create(CultureInfo.InvariantCulture, $"{Sign}{mark:x8}"));
            }
            else if (value.Length > BankMarks.MarkedFrom && bank.Quoted(value) is var (cut, at, quoted))
            {
                writer.WriteStringValue(string.Create(CultureInfo.InvariantCulture, $"{Sign}{quoted:x8}{at}:{cut}"));
            }
            else
            {
                writer.WriteStringValue(value is [Sign, ..] ? Sign + value : value);
            }
        }
    }
}
