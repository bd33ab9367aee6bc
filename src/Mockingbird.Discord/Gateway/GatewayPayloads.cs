using System.Buffers;
using System.Text.Json;

namespace Mockingbird.Discord.Gateway;

/// <summary>Gateway opcodes (Discord gateway v10).</summary>
internal static class GatewayOpcodes
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

/// <summary>A received gateway payload <c>{op, d, s, t}</c>; <see cref="Data"/> outlives the buffer it was read from.</summary>
internal readonly record struct GatewayFrame(int Op, JsonElement Data, long? Sequence, string? Type)
{
    public static GatewayFrame Parse(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        // Kinds are checked before numbers are read: reading a string or a fraction as an integer throws, not fails.
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.Number || !op.TryGetInt32(out int opcode))
        {
            throw new JsonException("A gateway payload had no integer 'op'.");
        }

        var data = root.TryGetProperty("d", out var d) ? d.Clone() : default;
        long? sequence = root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out long number) ? number : null;
        string? type = root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return new GatewayFrame(opcode, data, sequence, type);
    }
}

/// <summary>The payloads the client sends. Identify and Resume carry the token: never log them.</summary>
internal static class GatewayPayloads
{
    public const int MaxFrameBytes = 4096;

    public static byte[] Heartbeat(long? sequence) => Write(GatewayOpcodes.Heartbeat, writer =>
    {
        if (sequence is long value)
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    });

    public static byte[] Identify(string token, int intents, int shardId, int shardCount) => Write(GatewayOpcodes.Identify, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("token", token);
        writer.WriteNumber("intents", intents);
        writer.WriteStartObject("properties");
        writer.WriteString("os", OperatingSystemName());
        writer.WriteString("browser", "mockingbird");
        writer.WriteString("device", "mockingbird");
        writer.WriteEndObject();
        writer.WriteStartArray("shard");
        writer.WriteNumberValue(shardId);
        writer.WriteNumberValue(shardCount);
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static byte[] Resume(string token, string sessionId, long? sequence) => Write(GatewayOpcodes.Resume, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("token", token);
        writer.WriteString("session_id", sessionId);
        if (sequence is long value)
        {
            writer.WriteNumber("seq", value);
        }
        else
        {
            writer.WriteNull("seq");
        }

        writer.WriteEndObject();
    });

    /// <summary>
    /// The URL to open: the given one with <c>v=10&amp;encoding=json</c>, whatever query or trailing slash it came
    /// with. A <c>compress</c> parameter is dropped: this client reads plain JSON text frames only.
    /// </summary>
    public static Uri ConnectUri(string gatewayUrl)
    {
        var builder = new UriBuilder(gatewayUrl);
        if (string.IsNullOrEmpty(builder.Path))
        {
            builder.Path = "/";
        }

        var kept = builder.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !IsParameter(part, "v") && !IsParameter(part, "encoding") && !IsParameter(part, "compress"));
        builder.Query = string.Join('&', kept.Append("v=10").Append("encoding=json"));
        return builder.Uri;

        static bool IsParameter(string part, string name) =>
            part.Equals(name, StringComparison.OrdinalIgnoreCase) || part.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] Write(int op, Action<Utf8JsonWriter> writeData)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("op", op);
            writer.WritePropertyName("d");
            writeData(writer);
            writer.WriteEndObject();
        }

        var frame = buffer.WrittenSpan.ToArray();
        buffer.Clear(); // zeroes the copy that may hold the token
        return frame;
    }

    private static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "linux"
        : OperatingSystem.IsWindows() ? "windows"
        : OperatingSystem.IsMacOS() ? "macos"
        : "unknown";
}
