using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mockingbird.Judging.Llm;

/// <summary>One dimension as the LLM judged it: evidence and rationale first, then the score.</summary>
internal sealed record JudgedDimension(string Name, IReadOnlyList<string> Evidence, string Rationale, int Score);

/// <summary>The LLM judge's reply, after validation.</summary>
internal sealed record JudgeReply(IReadOnlyList<JudgedDimension> Dimensions, IReadOnlyList<string> Missed, string Outline, string NextDrill);

/// <summary>
/// The judge's reply schema and its validation. Nothing the model returns is trusted: the object must have exactly
/// the expected fields, every dimension once with a score of 1-4, and every quote must occur in the answer. A reply
/// carrying anything else (an injected "score" or "verdict", say) is rejected, not repaired.
/// </summary>
internal static class JudgeReplySchema
{
    /// <summary>The JSON schema sent with the request (strict: every field required, nothing extra).</summary>
    public static string For(IReadOnlyList<string> dimensions, IReadOnlyList<string> rubric)
    {
        var names = new JsonArray([.. dimensions.Select(d => (JsonNode)JsonValue.Create(d))]);
        var points = new JsonArray([.. rubric.Select(p => (JsonNode)JsonValue.Create(p))]);
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["required"] = new JsonArray("dimensions", "missed", "outline", "next_drill"),
            ["properties"] = new JsonObject
            {
                ["dimensions"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = false,
                        ["required"] = new JsonArray("name", "evidence", "rationale", "score"),
                        ["properties"] = new JsonObject
                        {
                            ["name"] = new JsonObject { ["type"] = "string", ["enum"] = names },
                            ["evidence"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                            ["rationale"] = new JsonObject { ["type"] = "string" },
                            ["score"] = new JsonObject { ["type"] = "integer", ["enum"] = new JsonArray(1, 2, 3, 4) },
                        },
                    },
                },
                ["missed"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["enum"] = points } },
                ["outline"] = new JsonObject { ["type"] = "string" },
                ["next_drill"] = new JsonObject { ["type"] = "string" },
            },
        };
        return schema.ToJsonString();
    }

    /// <summary>The validated reply, or the reason it is invalid (sent back to the model on the one retry).</summary>
    public static (JudgeReply? Reply, string? Error) Validate(string? content, IReadOnlyList<string> dimensions, IReadOnlyList<string> rubric, string answer)
    {
        try
        {
            return ValidateCore(content, dimensions, rubric, answer);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            // A duplicated key or a value of the wrong JSON type.
            return (null, "the reply is not a well-formed JSON object of the schema");
        }
    }

    /// <summary>A quote must be a real stretch of the answer: this many words at least.</summary>
    private const int MinimumQuoteWords = 3;

    private static (JudgeReply? Reply, string? Error) ValidateCore(string? content, IReadOnlyList<string> dimensions, IReadOnlyList<string> rubric, string answer)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return (null, "the reply was empty");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(StripFence(content));
        }
        catch (JsonException ex)
        {
            return (null, $"the reply is not valid JSON ({ex.Message.Split('.')[0]})");
        }

        if (root is not JsonObject obj)
        {
            return (null, "the reply must be one JSON object");
        }

        var extra = obj.Select(p => p.Key).Except(["dimensions", "missed", "outline", "next_drill"]).ToList();
        if (extra.Count > 0)
        {
            return (null, $"unexpected field(s): {string.Join(", ", extra)}");
        }

        if (obj["dimensions"] is not JsonArray dimensionArray)
        {
            return (null, "'dimensions' must be an array");
        }

        var judged = new List<JudgedDimension>();
        var normalisedAnswer = Normalise(answer);
        foreach (var node in dimensionArray)
        {
            if (node is not JsonObject d
                || d["name"]?.GetValueKind() != JsonValueKind.String
                || d["score"]?.GetValueKind() != JsonValueKind.Number
                || d["rationale"]?.GetValueKind() != JsonValueKind.String
                || d["evidence"] is not JsonArray evidence
                || evidence.Any(e => e?.GetValueKind() != JsonValueKind.String)
                || d.Count != 4)
            {
                return (null, "each dimension must be {name, evidence: [strings], rationale, score} and nothing else");
            }

            var name = d["name"]!.GetValue<string>();
            if (!d["score"]!.AsValue().TryGetValue<int>(out var score) || score is < 1 or > 4)
            {
                return (null, $"dimension '{name}' has a score outside 1-4");
            }

            var quotes = evidence.Select(e => e!.GetValue<string>()).ToList();
            var tooShort = quotes.FirstOrDefault(q => Normalise(q).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < MinimumQuoteWords);
            if (tooShort is not null)
            {
                return (null, $"dimension '{name}' has a quote of fewer than {MinimumQuoteWords} words: \"{Shorten(tooShort)}\"");
            }

            var invented = quotes.FirstOrDefault(q => !normalisedAnswer.Contains(Normalise(q), StringComparison.Ordinal));
            if (invented is not null)
            {
                return (null, $"dimension '{name}' quotes text that is not in the answer: \"{Shorten(invented)}\"");
            }

            if (score >= 2 && quotes.Count == 0)
            {
                return (null, $"dimension '{name}' scores {score} without quoting the answer; quote it, or score 1");
            }

            judged.Add(new JudgedDimension(name, quotes, d["rationale"]!.GetValue<string>().Trim(), score));
        }

        var names = judged.Select(d => d.Name).ToList();
        if (names.Count != dimensions.Count || names.Except(dimensions).Any() || names.Distinct().Count() != names.Count)
        {
            return (null, $"score exactly these dimensions, once each: {string.Join(", ", dimensions)}");
        }

        if (obj["missed"] is not JsonArray missed || missed.Any(m => m?.GetValueKind() != JsonValueKind.String)
            || obj["outline"]?.GetValueKind() != JsonValueKind.String || obj["next_drill"]?.GetValueKind() != JsonValueKind.String)
        {
            return (null, "'missed' must be an array of strings and 'outline' and 'next_drill' strings");
        }

        var unknown = missed.Select(m => m!.GetValue<string>()).FirstOrDefault(m => !rubric.Contains(m));
        if (unknown is not null)
        {
            return (null, $"'missed' must list rubric points exactly as written; not one: \"{Shorten(unknown)}\"");
        }

        var ordered = dimensions.Select(n => judged.Single(d => d.Name == n)).ToList();
        return (new JudgeReply(ordered, [.. missed.Select(m => m!.GetValue<string>())], obj["outline"]!.GetValue<string>(), obj["next_drill"]!.GetValue<string>()), null);
    }

    /// <summary>Some servers wrap JSON in a markdown fence even when asked not to.</summary>
    private static string StripFence(string content)
    {
        var trimmed = content.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var firstLine = trimmed.IndexOf('\n', StringComparison.Ordinal);
        var lastFence = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return firstLine > 0 && lastFence > firstLine ? trimmed[(firstLine + 1)..lastFence] : trimmed;
    }

    /// <summary>Lower case, whitespace collapsed, trailing punctuation and ellipses ignored: a quote may differ in those.</summary>
    private static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim().Trim('.', '…', '"', '\'', '“', '”'))
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
