using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Judging.Llm.Prompts;

namespace Mockingbird.Judging.Llm;

/// <summary>
/// Reads the rounds of an interview together with the <c>debrief</c> prompt: one call at the end over each judged
/// answer's kept quotes and signal words (never the transcripts, so its tokens grow with the number of answers, not
/// their length). The reply must follow the schema and quote only words the material holds; one that does not, or a
/// failed call, leaves the offline debrief, stamped as the fallback it is.
/// </summary>
public sealed partial class LlmDebriefWriter(
    IChatCompletionService chat,
    PromptExperiments experiments,
    IOptions<LlmOptions> options,
    ILogger<LlmDebriefWriter> logger) : IDebriefWriter
{
    public const string PromptName = "debrief";

    private const int MaxFindings = 5;

    private const int MaxNote = 300;

    private static readonly Dictionary<string, DebriefKind> Kinds = new(StringComparer.Ordinal)
    {
        ["unbacked-claim"] = DebriefKind.UnbackedClaim,
        ["ignored-trade-off"] = DebriefKind.IgnoredTradeOff,
        ["repeated-question"] = DebriefKind.RepeatedQuestion,
    };

    public async Task<Debrief?> DebriefAsync(DebriefRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Turns.Count == 0 || experiments.Choose(PromptName, request.CandidateId ?? string.Empty) is not { } choice)
        {
            return null;
        }

        var model = options.Value.Model;
        try
        {
            var delimiter = AnswerFence.NewDelimiter();
            var rendered = await PromptChecks.RenderAsync(choice.Prompt, new KernelArguments
            {
                ["asked"] = string.Join("\n", request.Asked.Select(a => $"- {a.Stage.ToWire()}: {a.Quote}")),
                ["delimiter"] = delimiter,
                ["answers"] = AnswerFence.Neutralise(string.Join("\n", request.Turns.Select(Line)), delimiter),
            }, cancellationToken);
            var reply = await chat.GetChatMessageContentAsync(LlmJudge.ToChat(rendered), LlmJudge.SettingsOf(choice.Prompt), kernel: null, cancellationToken);
            var tokens = TokenCount.Of(reply);
            if (Parse(reply.Content, request) is { } findings)
            {
                return new Debrief(findings, choice.Wrote(model, tokens));
            }

            Log.DebriefUnusable(logger);
            return request.Offline with { Source = choice.FellBack(model, tokens, schemaFailures: 1) };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.DebriefFailed(logger, ex.GetType().Name);
            return null;
        }
    }

    private const int MinimumQuoteWords = 3;

    private static string Line(DebriefTurn turn) =>
        $"{turn.Number} | {turn.Stage.ToWire()} | {string.Join(" / ", turn.Quotes.Select(q => $"\"{q.Text}\""))} | {string.Join(", ", turn.Signals)}";

    /// <summary>The findings of a reply that follows the schema and quotes only the material; <c>null</c> otherwise.</summary>
    private static List<DebriefFinding>? Parse(string? content, DebriefRequest request)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content.Trim());
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("findings", out var list) || list.ValueKind != JsonValueKind.Array
                || list.GetArrayLength() > MaxFindings)
            {
                return null;
            }

            var findings = new List<DebriefFinding>();
            foreach (var item in list.EnumerateArray())
            {
                if (Finding(item, request) is not { } finding)
                {
                    return null;
                }

                findings.Add(finding);
            }

            return findings;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DebriefFinding? Finding(JsonElement item, DebriefRequest request)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !Kinds.TryGetValue(Text(item, "kind") ?? string.Empty, out var kind)
            || Text(item, "note") is not { Length: > 0 and <= MaxNote } note
            || Side(item, "first", request) is not { } first
            || Side(item, "second", request) is not { } second
            || first.Stage == second.Stage)
        {
            return null;
        }

        return new DebriefFinding(kind, note, first, second);
    }

    /// <summary>A side whose quote is found in the material of its round: a kept quote, or a sentence of an interviewer's question.</summary>
    private static DebriefSide? Side(JsonElement item, string side, DebriefRequest request)
    {
        if (!Vocabulary.TryParseStage(Text(item, $"{side}_round"), out var stage) || Text(item, $"{side}_quote") is not { Length: > 0 } quote)
        {
            return null;
        }

        // A word or two is found in almost any material: a finding must quote enough to be the candidate's own claim.
        var wanted = Normalised(quote);
        if (wanted.Split(' ').Length < MinimumQuoteWords)
        {
            return null;
        }

        if (request.Turns.Where(t => t.Stage == stage).SelectMany(t => t.Quotes).Any(q => Normalised(q.Text).Contains(wanted, StringComparison.Ordinal)))
        {
            return new DebriefSide(stage, AnswerDigests.Shorten(quote));
        }

        return request.Asked.Any(a => a.Stage == stage && Normalised(a.Quote).Contains(wanted, StringComparison.Ordinal))
            ? new DebriefSide(stage, AnswerDigests.Shorten(quote), ByInterviewer: true)
            : null;
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;

    /// <summary>Case, spacing, curly quotes and a trailing ellipsis do not make a quote different.</summary>
    private static string Normalised(string text) =>
        string.Join(' ', text.ToLowerInvariant().Replace('’', '\'').Replace('“', '"').Replace('”', '"').TrimEnd('…', '.').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The debrief could not be written ({ErrorType}); the offline debrief is posted")]
        public static partial void DebriefFailed(ILogger logger, string errorType);

        [LoggerMessage(2, LogLevel.Warning, "The debrief reply did not follow its schema or quoted words the material lacks; the offline debrief is posted")]
        public static partial void DebriefUnusable(ILogger logger);
    }
}
