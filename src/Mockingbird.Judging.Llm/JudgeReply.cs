using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mockingbird.Judging.Llm;

/// <summary>One dimension as the LLM judged it: evidence and rationale first, then the score. Evidence holds only quotes found in the answer.</summary>
internal sealed record JudgedDimension(string Name, IReadOnlyList<string> Evidence, string Rationale, int Score);

/// <summary>A rubric point the LLM found in the answer, with its quote when that quote is really in the answer.</summary>
internal sealed record JudgedPoint(string Point, string? Quote);

/// <summary>The LLM judge's reply, after validation.</summary>
/// <param name="Unverified">Quotes the model gave that are not in the answer: dropped from everything shown, and grounds to cap its scores.</param>
internal sealed record JudgeReply(
    IReadOnlyList<JudgedPoint> Covered,
    IReadOnlyList<string> Missed,
    IReadOnlyList<JudgedDimension> Dimensions,
    string Outline,
    string NextDrill,
    IReadOnlyList<string> Unverified,
    string? FollowUp = null);

/// <summary>Why a reply was refused.</summary>
/// <param name="Kind">A fixed code, safe to log: it never carries the answer's or the reply's text.</param>
/// <param name="Detail">What to fix, for the model on its retry; it may quote the reply, and so the answer.</param>
internal sealed record ReplyProblem(string Kind, string Detail);

/// <summary>
/// The judge's reply schema and its validation. Nothing the model returns is trusted: the object must have exactly
/// the expected fields, every dimension once with a score of 1-4, and rubric points exactly as written. A quote that
/// is not in the answer is never shown; the caller decides what it costs the scores. A reply carrying anything else
/// (an injected "score" or "verdict", say) is rejected, not repaired.
/// </summary>
internal static class JudgeReplySchema
{
    /// <summary>The reply's keys in the order the model is asked to write them: the evidence before the scores.</summary>
    private static readonly string[] Keys = ["covered", "missed", "dimensions", "outline", "next_drill"];

    /// <summary>The key of the interviewer's next follow-up, in replies to prompts that write one: last, after the judgement.</summary>
    private const string FollowUpKey = "follow_up";

    private static string[] KeysOf(bool withFollowUp) => withFollowUp ? [.. Keys, FollowUpKey] : Keys;

    /// <summary>The JSON schema sent with the request (strict: every field required, nothing extra).</summary>
    /// <param name="withFollowUp">Whether the prompt also asks for the interviewer's next follow-up.</param>
    public static string For(IReadOnlyList<string> dimensions, IReadOnlyList<string> rubric, bool withFollowUp = false) => Build(
        new JsonArray([.. dimensions.Select(d => (JsonNode)JsonValue.Create(d))]),
        new JsonArray([.. rubric.Select(p => (JsonNode)JsonValue.Create(p))]),
        withFollowUp).ToJsonString();

    /// <summary>
    /// Every key of the schema with its type and meaning, one a line, for prompts to carry: a server that cannot
    /// enforce a schema (<see cref="JudgeReplyFormat.JsonObject"/>) still gets a model that knows every key to write.
    /// It names no question's dimensions or rubric, so it is the same text for every question.
    /// </summary>
    public static string Describe(bool withFollowUp = false)
    {
        var lines = new List<string> { "Reply with one JSON object and nothing else, with exactly these keys, in this order:" };
        DescribeProperties(Build(null, null, withFollowUp), lines, indent: string.Empty);
        return string.Join("\n", lines);
    }

    private static void DescribeProperties(JsonObject schema, List<string> lines, string indent)
    {
        foreach (var (key, node) in schema["properties"]!.AsObject())
        {
            var property = node!.AsObject();
            var items = property["items"] as JsonObject;
            var type = property["type"]!.GetValue<string>() switch
            {
                "array" => $"array of {items!["type"]!.GetValue<string>()}s",
                var single => single,
            };
            lines.Add($"{indent}- \"{key}\" ({type}): {property["description"]!.GetValue<string>()}");
            if (items is { } nested && nested["properties"] is not null)
            {
                lines.Add($"{indent}  Each object has exactly these keys, in this order:");
                DescribeProperties(nested, lines, indent + "  ");
            }
        }
    }

    /// <param name="names">The dimension names allowed, or <c>null</c> for a description that fits every question.</param>
    /// <param name="points">The rubric points allowed, likewise.</param>
    private static JsonObject Build(JsonArray? names, JsonArray? points, bool withFollowUp)
    {
        static JsonObject Text(string description, JsonArray? allowed = null)
        {
            var text = new JsonObject { ["type"] = "string", ["description"] = description };
            if (allowed is not null)
            {
                text["enum"] = allowed;
            }

            return text;
        }

        var schema = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["required"] = new JsonArray([.. KeysOf(withFollowUp).Select(k => (JsonNode)JsonValue.Create(k))]),
            ["properties"] = new JsonObject
            {
                ["covered"] = new JsonObject
                {
                    ["type"] = "array",
                    ["description"] = "one entry per rubric point to judge that the answer makes, in its own words or the rubric's",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = false,
                        ["required"] = new JsonArray("point", "quote"),
                        ["properties"] = new JsonObject
                        {
                            ["point"] = Text("the rubric point, copied exactly as listed", points?.DeepClone().AsArray()),
                            ["quote"] = Text("the sentence of the answer that makes the point, copied word for word"),
                        },
                    },
                },
                ["missed"] = new JsonObject
                {
                    ["type"] = "array",
                    ["description"] = "every rubric point to judge that the answer does not make, copied exactly as listed",
                    ["items"] = Text("a rubric point", points?.DeepClone().AsArray()),
                },
                ["dimensions"] = new JsonObject
                {
                    ["type"] = "array",
                    ["description"] = "one entry per dimension to score, each dimension once",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = false,
                        ["required"] = new JsonArray("name", "evidence", "rationale", "score"),
                        ["properties"] = new JsonObject
                        {
                            ["name"] = Text("the dimension's name, as listed", names),
                            ["evidence"] = new JsonObject
                            {
                                ["type"] = "array",
                                ["description"] = "the sentences of the answer that support the score, copied word for word, three words or more each; empty only with a score of 1",
                                ["items"] = Text("a quote from the answer"),
                            },
                            ["rationale"] = Text("one line on why the evidence earns this score, by the anchors"),
                            ["score"] = new JsonObject { ["type"] = "integer", ["description"] = "1, 2, 3 or 4, by the dimension's anchors", ["enum"] = new JsonArray(1, 2, 3, 4) },
                        },
                    },
                },
                ["outline"] = Text("a short outline of a strong answer"),
                ["next_drill"] = Text("the one drill to practise next"),
            },
        };
        if (withFollowUp)
        {
            schema["properties"]![FollowUpKey] = Text("the interviewer's one next follow-up question, by the follow-up rules; an empty string when none is useful");
        }

        return schema;
    }

    /// <summary>The validated reply, or why it is invalid: the detail is sent back to the model on the one retry, the kind is logged.</summary>
    /// <param name="withFollowUp">
    /// Whether the prompt asked for a follow-up. Its key may still be missing: the judgement stands without it, and
    /// the interviewer writes the follow-up instead.
    /// </param>
    public static (JudgeReply? Reply, ReplyProblem? Problem) Validate(string? content, IReadOnlyList<string> dimensions, IReadOnlyList<string> rubric, string answer, bool withFollowUp = false)
    {
        try
        {
            return ValidateCore(content, dimensions, rubric, answer, withFollowUp);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            // A duplicated key or a value of the wrong JSON type.
            return (null, new ReplyProblem("malformed", "the reply is not a well-formed JSON object of the schema"));
        }
    }

    /// <summary>A quote must be a real stretch of the answer: this many words at least.</summary>
    private const int MinimumQuoteWords = 3;

    private static (JudgeReply? Reply, ReplyProblem? Problem) ValidateCore(string? content, IReadOnlyList<string> dimensions, IReadOnlyList<string> rubric, string answer, bool withFollowUp)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return (null, new ReplyProblem("empty", "the reply was empty"));
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(StripFence(content));
        }
        catch (JsonException ex)
        {
            return (null, new ReplyProblem("not_json", $"the reply is not valid JSON ({ex.Message.Split('.')[0]})"));
        }

        if (root is not JsonObject obj)
        {
            return (null, new ReplyProblem("not_an_object", "the reply must be one JSON object"));
        }

        var extra = obj.Select(p => p.Key).Except(KeysOf(withFollowUp)).ToList();
        if (extra.Count > 0)
        {
            return (null, new ReplyProblem("unexpected_fields", $"unexpected field(s): {string.Join(", ", extra)}"));
        }

        if (obj["dimensions"] is not JsonArray dimensionArray)
        {
            return (null, new ReplyProblem("dimensions_shape", "'dimensions' must be an array"));
        }

        var judged = new List<JudgedDimension>();
        var unverified = new List<string>();
        var normalisedAnswer = Normalise(answer);
        bool InAnswer(string quote) => normalisedAnswer.Contains(Normalise(quote), StringComparison.Ordinal);
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
                return (null, new ReplyProblem("dimensions_shape", "each dimension must be {name, evidence: [strings], rationale, score} and nothing else"));
            }

            var name = d["name"]!.GetValue<string>();
            if (!d["score"]!.AsValue().TryGetValue<int>(out var score) || score is < 1 or > 4)
            {
                return (null, new ReplyProblem("score_out_of_range", $"dimension '{name}' has a score outside 1-4"));
            }

            var quotes = evidence.Select(e => e!.GetValue<string>()).ToList();
            var tooShort = quotes.FirstOrDefault(q => WordCount(q) < MinimumQuoteWords);
            if (tooShort is not null)
            {
                return (null, new ReplyProblem("quote_too_short", $"dimension '{name}' has a quote of fewer than {MinimumQuoteWords} words: \"{Shorten(tooShort)}\""));
            }

            if (score >= 2 && quotes.Count == 0)
            {
                return (null, new ReplyProblem("score_without_quote", $"dimension '{name}' scores {score} without quoting the answer; quote it, or score 1"));
            }

            unverified.AddRange(quotes.Where(q => !InAnswer(q)));
            judged.Add(new JudgedDimension(name, [.. quotes.Where(InAnswer)], d["rationale"]!.GetValue<string>().Trim(), score));
        }

        var names = judged.Select(d => d.Name).ToList();
        if (names.Count != dimensions.Count || names.Except(dimensions).Any() || names.Distinct().Count() != names.Count)
        {
            return (null, new ReplyProblem("wrong_dimensions", $"score exactly these dimensions, once each: {string.Join(", ", dimensions)}"));
        }

        if (obj["missed"] is not JsonArray missed || missed.Any(m => m?.GetValueKind() != JsonValueKind.String)
            || obj["outline"]?.GetValueKind() != JsonValueKind.String || obj["next_drill"]?.GetValueKind() != JsonValueKind.String)
        {
            return (null, new ReplyProblem("fields_shape", "'missed' must be an array of strings and 'outline' and 'next_drill' strings"));
        }

        var missedPoints = missed.Select(m => m!.GetValue<string>()).Distinct().ToList();
        var unknown = missedPoints.FirstOrDefault(m => !rubric.Contains(m));
        if (unknown is not null)
        {
            return (null, new ReplyProblem("missed_not_in_rubric", $"'missed' must list rubric points to judge exactly as written; not one: \"{Shorten(unknown)}\""));
        }

        if (obj["covered"] is not JsonArray coveredArray
            || coveredArray.Any(c => c is not JsonObject { Count: 2 } o || o["point"]?.GetValueKind() != JsonValueKind.String || o["quote"]?.GetValueKind() != JsonValueKind.String))
        {
            return (null, new ReplyProblem("covered_shape", "'covered' must be an array of {point, quote} objects, both strings, and nothing else"));
        }

        var covered = new List<JudgedPoint>();
        foreach (var entry in coveredArray.Select(c => c!.AsObject()))
        {
            var point = entry["point"]!.GetValue<string>();
            var quote = entry["quote"]!.GetValue<string>();
            if (!InAnswer(quote))
            {
                unverified.Add(quote);
            }

            // Coverage is what 'missed' leaves out; an entry for a point not to judge (one an earlier answer covered,
            // say) changes nothing, so it is passed over rather than sent back.
            if (!rubric.Contains(point))
            {
                continue;
            }

            if (missedPoints.Contains(point))
            {
                return (null, new ReplyProblem("covered_and_missed", $"a rubric point is both covered and missed: \"{Shorten(point)}\""));
            }

            // A quote too short to show what was said is not shown; the point still counts as covered.
            if (covered.All(c => c.Point != point))
            {
                covered.Add(new JudgedPoint(point, InAnswer(quote) && WordCount(quote) >= MinimumQuoteWords ? quote.Trim() : null));
            }
        }

        // The follow-up is not part of the judgement: one of the wrong shape is dropped like one that fails vetting,
        // and the interviewer writes it, rather than costing the candidate a retry or the offline fallback.
        var ordered = dimensions.Select(n => judged.Single(d => d.Name == n)).ToList();
        var nextQuestion = obj[FollowUpKey] is { } followUp && followUp.GetValueKind() == JsonValueKind.String ? followUp.GetValue<string>().Trim() : null;
        return (new JudgeReply(covered, missedPoints, ordered, obj["outline"]!.GetValue<string>(), obj["next_drill"]!.GetValue<string>(), unverified, string.IsNullOrEmpty(nextQuestion) ? null : nextQuestion), null);
    }

    private static int WordCount(string quote) => Normalise(quote).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

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

    /// <summary>
    /// Lower case, whitespace collapsed, curly quotes made straight, and punctuation, ellipses and quote marks at the
    /// ends ignored: a model's quote may differ from the answer in those and still be the candidate's words.
    /// </summary>
    internal static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var raw in text.Trim().Trim('.', '…', '"', '\'', '“', '”', '‘', '’'))
        {
            var c = raw switch
            {
                '‘' or '’' or '‛' or '`' => '\'',
                '“' or '”' or '„' => '"',
                _ => raw,
            };

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

    internal static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
