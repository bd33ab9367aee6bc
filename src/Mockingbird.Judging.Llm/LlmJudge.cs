using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using ChatResponseFormat = OpenAI.Chat.ChatResponseFormat;
using ChatTokenUsage = OpenAI.Chat.ChatTokenUsage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Judging.Rubric;
using Polly.CircuitBreaker;

namespace Mockingbird.Judging.Llm;

/// <summary>Tokens and identity of one LLM call, for cost reports.</summary>
public sealed record LlmUsage(string Model, string PromptName, string PromptVersion, int PromptTokens, int CachedPromptTokens, int CompletionTokens);

/// <summary>
/// Judges answers with an LLM through Semantic Kernel, behind the same port as the offline judge. The answer is data:
/// fenced by a random delimiter it cannot contain, HTML-encoded by the template engine, followed by the
/// instruction. The reply must match the schema; an invalid reply is retried once with the reason, and after that —
/// or when the LLM is down or its circuit is open — the offline judge answers and the feedback says so.
/// </summary>
public sealed partial class LlmJudge(
    IChatCompletionService chat,
    PromptExperiments experiments,
    IOptions<LlmOptions> options,
    TimeProvider time,
    ILogger<LlmJudge> logger,
    LlmTelemetry? telemetry = null,
    RubricJudge? offlineJudge = null) : IAnswerJudge
{
    /// <summary>The most a model's score can be when the answer or the reply gives a checkable reason to distrust it.</summary>
    internal const int VerifiableCap = 2;

    private readonly LlmOptions _options = options.Value;
    private long _promptTokens;
    private long _cachedPromptTokens;
    private long _completionTokens;

    /// <summary>Tokens used since start: prompt, of which cached, and completion.</summary>
    public (long Prompt, long Cached, long Completion) TokensUsed =>
        (Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _cachedPromptTokens), Interlocked.Read(ref _completionTokens));

    public async Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var offline = RubricJudge.Judge(request);
        var question = request.Question;
        var choice = experiments.Choose($"judge-{question.Stage.ToWire()}", request.CandidateId ?? string.Empty);
        if (choice is null)
        {
            return await FallbackAsync(request, offline, new FeedbackSource("offline-fallback"), $"no judge prompt for the {question.Stage.ToWire()} stage", "no_prompt", cancellationToken);
        }

        // Summed over the attempts, and kept on a fallback too: what an arm costs includes the calls that failed.
        var tokens = default(TokenCount);
        var schemaFailures = 0;

        var names = Dimensions(question, request.FollowUp is not null).Select(d => d.Name).ToList();
        var writesFollowUp = WritesFollowUp(choice.Prompt);
        var rubric = JudgedRubric(request);
        using var total = new CancellationTokenSource(_options.TotalTimeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, total.Token);
        var arguments = Arguments(request, choice.Prompt, AnswerFence.NewDelimiter());
        var answer = (string)arguments["answer"]!;
        try
        {
            var history = ToChat(await PromptChecks.RenderAsync(choice.Prompt, arguments, deadline.Token));
            // The schema offers every rubric point, not only those to judge: it is the start of the prefix a provider
            // caches, so it must not change from one follow-up to the next. The validation still holds the reply to
            // the points to judge.
            var settings = Settings(choice.Prompt, names, [.. question.Rubric.Select(p => p.Text)], writesFollowUp);

            for (var attempt = 1; attempt <= 2; attempt++)
            {
                ChatMessageContent reply;
                using (LlmTelemetry.StartCall(_options.Model, choice.Prompt.Name))
                {
                    reply = await chat.GetChatMessageContentAsync(history, settings, kernel: null, deadline.Token);
                }

                tokens += Record(reply, choice.Prompt);
                var (judged, problem) = FinishedNormally(reply) is { } stopped
                    ? (null, stopped)
                    : JudgeReplySchema.Validate(reply.Content, names, rubric, answer, writesFollowUp);
                if (judged is { Unverified: [var invented, ..] } && attempt == 1)
                {
                    // A misquote is worth one more try before it costs the candidate a capped score.
                    (judged, problem) = (null, new ReplyProblem("misquote", $"it quotes text that is not in the answer: \"{JudgeReplySchema.Shorten(invented)}\"; quote the answer word for word"));
                }

                if (judged is not null)
                {
                    return FromReply(judged, offline, request, choice.Wrote(_options.Model, tokens, schemaFailures));
                }

                schemaFailures++;

                // The kind only: the detail may quote the reply, and a reply may quote the answer.
                Log.InvalidReply(logger, choice.Prompt.Name, choice.Prompt.Version, attempt, problem!.Kind);
                history.AddAssistantMessage(reply.Content ?? string.Empty);
                history.AddUserMessage($"That reply was invalid: {problem.Detail}. Reply again with the JSON object only, following the schema.");
            }

            return await FallbackAsync(request, offline, choice.FellBack(_options.Model, tokens, schemaFailures), "the LLM's reply was invalid twice", "invalid_reply", cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            return await FallbackAsync(request, offline, choice.FellBack(_options.Model, tokens, schemaFailures), "the LLM is failing and its circuit is open", "circuit_open", cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever the LLM, its server or a proxy did (a refused key, an HTML page, no choices, a stalled body),
            // the candidate still gets feedback. Only the type is logged: a message may echo the request.
            Log.CallFailed(logger, choice.Prompt.Name, ex.GetType().Name);
            var (reason, code) = FailureReason(ex);
            return await FallbackAsync(request, offline, choice.FellBack(_options.Model, tokens, schemaFailures), reason, code, cancellationToken);
        }
    }

    private static (string Reason, string Code) FailureReason(Exception ex) => ex switch
    {
        HttpOperationException { StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden } => ("the LLM rejected the API key", "rejected_key"),
        HttpOperationException { StatusCode: { } status } when (int)status == 429 || (int)status >= 500 => ("the LLM is failing or overloaded", "overloaded"),
        HttpRequestException or Polly.Timeout.TimeoutRejectedException or OperationCanceledException => ("the LLM could not be reached in time", "unreachable"),
        _ => ("the LLM call failed", "failed"),
    };

    /// <summary>
    /// The rubric points this answer is judged on. A follow-up probes what earlier answers left out, so it is judged
    /// on the points still missing (the offline judge also credits the points a follow-up names); the points already
    /// covered are not its to miss, even when it is judged on every point because none is still missing.
    /// </summary>
    internal static IReadOnlyList<string> JudgedRubric(JudgeRequest request)
    {
        var all = request.Question.Rubric.Select(p => p.Text).ToList();
        var alreadyCovered = request.AlreadyCovered ?? [];
        return request.FollowUp is not null && all.Any(p => !alreadyCovered.Contains(p))
            ? [.. all.Where(p => !alreadyCovered.Contains(p))]
            : all;
    }

    /// <summary>What the answer is not judged on because earlier answers to the question covered it.</summary>
    internal static IReadOnlyList<string> AlreadyCovered(JudgeRequest request)
    {
        var judged = JudgedRubric(request);
        return [.. request.Question.Rubric.Select(p => p.Text).Where(p => !judged.Contains(p))];
    }

    /// <summary>
    /// Whether a prompt also writes the interviewer's next follow-up, in the same call: a prompt that is given the
    /// interview's running summary is one that does, and its reply carries a <c>follow_up</c> key.
    /// </summary>
    internal static bool WritesFollowUp(PromptDefinition prompt) => prompt.Config.InputVariables.Any(v => v.Name == "interview_summary");

    /// <summary>
    /// The template's variables for a request; each prompt version uses those it declares. The answer and the
    /// follow-up are fenced text; everything else comes from the bank, the prompt file or the reply schema.
    /// </summary>
    internal static KernelArguments Arguments(JudgeRequest request, PromptDefinition prompt, string delimiter)
    {
        var question = request.Question;
        var followUp = request.FollowUp is not null;
        var dimensions = Dimensions(question, followUp);
        var covered = AlreadyCovered(request);
        return new KernelArguments
        {
            ["question"] = followUp ? $"{question.Prompt}\nFollow-up being answered: {AnswerFence.Neutralise(request.FollowUp!, delimiter)}" : question.Prompt,
            ["rubric"] = string.Join("\n", JudgedRubric(request).Select(p => $"- {p}")),

            // What every turn on one question shares comes before what changes each turn, so a provider's prefix
            // cache serves it again on the follow-ups.
            ["question_prompt"] = question.Prompt,
            ["full_rubric"] = string.Join("\n", question.Rubric.Select(p => $"- {p.Text}")),
            ["follow_up"] = followUp ? AnswerFence.Neutralise(request.FollowUp!, delimiter) : "(none: this is the main answer)",
            ["dimensions"] = string.Join("; ", dimensions.Select(d => $"{d.Name} ({d.Meaning})")),
            ["dimension_names"] = string.Join(", ", dimensions.Select(d => d.Name)),
            ["scoring_guide"] = ScoringGuide(prompt, followUp),
            ["reply_format"] = JudgeReplySchema.Describe(WritesFollowUp(prompt)),
            ["interview_summary"] = InterviewMemory.Summarise(request.Earlier ?? [], LlmInterviewer.SummaryTokenBudget),
            ["reference_answer"] = string.IsNullOrWhiteSpace(question.ReferenceAnswer)
                ? "(none for this question: judge against the rubric alone)"
                : question.ReferenceAnswer.Trim(),
            ["already_covered"] = covered.Count > 0 ? string.Join("\n", covered.Select(p => $"- {p}"))
                : followUp ? "(nothing recorded)"
                : "(nothing: this is the main answer)",
            ["job_delimiter"] = JobFocus.NewDelimiter(),
            ["job_focus"] = JobFocus.Describe(request.JobRequirements, delimiter),
            ["delimiter"] = delimiter,
            ["answer"] = AnswerFence.Neutralise(request.Answer, delimiter),
        };
    }

    /// <summary>
    /// The anchors of every dimension the prompt defines for this kind of answer, in the prompt's order. For a design
    /// answer that is every design dimension, not only the question's, so the text is the same for every question of
    /// a stage and a provider can cache it.
    /// </summary>
    internal static string ScoringGuide(PromptDefinition prompt, bool followUp)
    {
        if (prompt.Scoring is not { } scoring)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var dimension in scoring.For(followUp))
        {
            builder.Append(dimension.Dimension).Append(": ").Append(dimension.Means).Append('\n');
            foreach (var (level, anchor) in dimension.Levels.OrderBy(l => l.Key))
            {
                builder.Append(CultureInfo.InvariantCulture, $"  {level}: {anchor}\n");
            }
        }

        return builder.ToString().TrimEnd('\n');
    }

    /// <summary>The dimensions the LLM scores for a question, with what each means.</summary>
    internal static IReadOnlyList<(string Name, string Meaning)> Dimensions(Question question, bool followUp) =>
        Dimensions(question.Stage, question.Dimensions, followUp);

    /// <summary>Every dimension a stage's judge may be asked to score, over all of its questions.</summary>
    internal static IReadOnlyList<string> AllDimensionNames(Stage stage, bool followUp) =>
        [.. Dimensions(stage, Enum.GetValues<DesignDimension>(), followUp).Select(d => d.Name)];

    private static IReadOnlyList<(string Name, string Meaning)> Dimensions(Stage stage, IReadOnlyList<DesignDimension> design, bool followUp)
    {
        if (followUp)
        {
            return [("coverage", "which missing rubric points the follow-up answer now explains"), ("depth", "does it explain why, not only what")];
        }

        return stage switch
        {
            Stage.Behavioral =>
            [
                ("coverage", "which rubric points the story shows"), ("star-structure", "situation, task, actions, result"),
                ("ownership", "what the candidate personally did"), ("quantification", "numbers for scale and result"),
                ("reflection", "what they learned or would change"),
            ],
            Stage.Design => [.. design.Select(d => (d.ToWire(), $"what this design needs on {d.ToWire()}"))],
            Stage.QuestionsToAsk => [("insight", "do the questions show what a strong candidate cares about"), ("specificity", "could only this team answer them")],
            Stage.MlCoding =>
            [
                ("coverage", "which rubric points the approach gets right"), ("correctness", "would it work"),
                ("edge-cases-and-tests", "empty inputs, overflow, ties, tests"), ("complexity", "time and memory cost"),
            ],
            _ =>
            [
                ("correctness", "is what it says true and precise"), ("coverage", "which rubric points it explains"),
                ("depth", "does it explain why, not only what"), ("trade-offs-and-examples", "costs, limits and a concrete example"),
            ],
        };
    }

    private OpenAIPromptExecutionSettings Settings(PromptDefinition prompt, IReadOnlyList<string> dimensions, IReadOnlyList<string> rubric, bool writesFollowUp)
    {
        var settings = SettingsOf(prompt);
        settings.ResponseFormat = _options.ReplyFormat == JudgeReplyFormat.JsonSchema
            ? ChatResponseFormat.CreateJsonSchemaFormat("judgement", BinaryData.FromString(JudgeReplySchema.For(dimensions, rubric, writesFollowUp)), jsonSchemaIsStrict: true)
            : "json_object";
        return settings;
    }

    /// <summary>The temperature and token limit a prompt file sets; prompt versions may differ in them.</summary>
    internal static OpenAIPromptExecutionSettings SettingsOf(PromptDefinition prompt)
    {
        var values = prompt.Config.DefaultExecutionSettings?.ExtensionData ?? new Dictionary<string, object>();
        return new OpenAIPromptExecutionSettings
        {
            Temperature = values.TryGetValue("temperature", out var t) ? Convert.ToDouble(t, CultureInfo.InvariantCulture) : 0,
            MaxTokens = values.TryGetValue("max_tokens", out var m) ? Convert.ToInt32(m, CultureInfo.InvariantCulture) : 1200,
        };
    }

    /// <summary>A reply cut off by the token limit, or refused, is not a judgement.</summary>
    private static ReplyProblem? FinishedNormally(ChatMessageContent reply)
    {
        var finish = reply.Metadata?.GetValueOrDefault("FinishReason")?.ToString();
        if (string.Equals(finish, "length", StringComparison.OrdinalIgnoreCase))
        {
            return new ReplyProblem("cut_off", "the reply was cut off by the token limit; keep it shorter");
        }

        return reply.Metadata?.GetValueOrDefault("Refusal") is { } refusal && !string.IsNullOrEmpty(refusal.ToString())
            ? new ReplyProblem("refused", "the model refused")
            : null;
    }

    private Feedback FromReply(JudgeReply reply, Feedback offline, JudgeRequest request, FeedbackSource source)
    {
        // The LLM judges correctness itself: the offline judge's phrase-pattern check for common mistakes would only
        // second-guess it.
        var flags = offline.Flags.Where(f => !RubricJudge.FlagsAMistake(f)).ToList();
        var dimensions = reply.Dimensions.Select(d => new DimensionScore(d.Name, d.Score, d.Evidence, d.Rationale)).ToList();

        // Capped only on grounds anyone can check in the answer itself: it addresses the judge, or the model quotes
        // words the candidate never wrote. How much of the rubric's wording the answer uses is no such ground: a
        // cap on it would punish exactly the paraphrase an LLM judge is there to recognise.
        var grounds = new List<string>();
        if (offline.Flags.Any(f => f.Contains("addresses the judge", StringComparison.Ordinal)))
        {
            grounds.Add("The answer addresses the judge");
        }

        if (reply.Unverified.Count > 0)
        {
            grounds.Add("The LLM quoted text that is not in the answer (those quotes are not shown)");
        }

        if (grounds.Count > 0 && dimensions.Any(d => d.Score > VerifiableCap))
        {
            dimensions = [.. dimensions.Select(d => d.Score > VerifiableCap ? d with { Score = VerifiableCap, Rationale = $"{d.Rationale} (capped at {VerifiableCap})" } : d)];
            flags.AddRange(grounds.Select(g => $"{g}, so the LLM's scores are capped at {VerifiableCap}."));
        }

        // Each covered point shows the LLM's own quote, and only once it is found in the answer. A point the reply
        // left out of both lists earns nothing: credit needs the judge to have found it, and an injected answer
        // must not win the whole rubric by making the model reply with two empty lists.
        var judged = JudgedRubric(request);
        var covered = judged.Where(p => reply.Covered.Any(c => c.Point == p)).Select(p =>
            new CoveredPoint(p, reply.Covered.First(c => c.Point == p).Quote ?? string.Empty)).ToList();
        var coveredBefore = request.FollowUp is null ? [] : request.AlreadyCovered ?? [];
        var missed = judged.Where(p => covered.TrueForAll(c => c.Point != p) && !coveredBefore.Contains(p)).ToList();

        // The follow-up passes the interviewer's vetting or is dropped, and the interviewer is asked instead.
        var followUp = FollowUpVetting.Clean(reply.FollowUp);
        return new Feedback(
            offline.QuestionId,
            $"llm:{_options.Model}",
            $"LLM judge ({_options.Model}, prompt {source.PromptName}/{source.PromptVersion})",
            dimensions,
            covered,
            missed,
            Math.Round(dimensions.Average(d => d.Score), 1, MidpointRounding.AwayFromZero),
            offline.Insights,
            flags,
            reply.NextDrill,
            reply.Outline,
            source,
            FollowUpVetting.Acceptable(followUp, request.Question) ? new WrittenText(followUp!, source) : null);
    }

    /// <summary>
    /// The offline judge's feedback, labelled as the fallback it is: its source credits no prompt version but stays
    /// in the candidate's experiment arm. During an outage every answer is judged this way, so the registered offline
    /// judge answers (matching by meaning when it does), not only the phrase check the LLM's reply is vetted with.
    /// </summary>
    private async Task<Feedback> FallbackAsync(JudgeRequest request, Feedback phrasesOnly, FeedbackSource source, string reason, string code, CancellationToken cancellationToken)
    {
        telemetry?.FellBack(code);
        var offline = offlineJudge is null ? phrasesOnly : await offlineJudge.JudgeAsync(request, cancellationToken);
        return offline with
        {
            Judge = $"{RubricJudge.JudgeName} (fallback)",
            Label = $"{offline.Label} — LLM judge unavailable: {reason}",
            Source = source,
        };
    }

    private TokenCount Record(ChatMessageContent reply, PromptDefinition prompt)
    {
        if (reply.Metadata?.GetValueOrDefault("Usage") is not ChatTokenUsage)
        {
            return default;
        }

        var used = TokenCount.Of(reply);
        Interlocked.Add(ref _promptTokens, used.Prompt);
        Interlocked.Add(ref _cachedPromptTokens, used.Cached);
        Interlocked.Add(ref _completionTokens, used.Completion);
        telemetry?.Used(_options.Model, used.Prompt, used.Completion);
        Log.Usage(logger, _options.Model ?? "?", prompt.Name, prompt.Version, used.Prompt, used.Cached, used.Completion);
        return used;
    }

    /// <summary>Turns a rendered prompt's message blocks into a chat, the way Semantic Kernel parses them.</summary>
    internal static ChatHistory ToChat(string rendered)
    {
        var document = new XmlDocument();
        document.LoadXml($"<root>{rendered}</root>");
        var history = new ChatHistory();
        foreach (var element in document.DocumentElement!.ChildNodes.OfType<XmlElement>().Where(e => e.Name == "message"))
        {
            history.AddMessage(new AuthorRole(element.GetAttribute("role")), element.InnerText.Trim());
        }

        return history;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "LLM call {Model} {PromptName}/{PromptVersion}: {PromptTokens} prompt tokens ({CachedTokens} cached), {CompletionTokens} completion tokens")]
        public static partial void Usage(ILogger logger, string model, string promptName, string promptVersion, int promptTokens, int cachedTokens, int completionTokens);

        [LoggerMessage(2, LogLevel.Warning, "LLM reply to {PromptName}/{PromptVersion} was invalid on attempt {Attempt}: {ProblemKind}")]
        public static partial void InvalidReply(ILogger logger, string promptName, string promptVersion, int attempt, string problemKind);

        [LoggerMessage(3, LogLevel.Warning, "LLM call for {PromptName} failed ({ErrorType}); the offline judge answered")]
        public static partial void CallFailed(ILogger logger, string promptName, string errorType);
    }
}

/// <summary>
/// The job the candidate prepares for, as a prompt shows it: the candidate's pasted requirements between fence lines
/// of their own, neutralised like an answer because they are the candidate's words, or a line saying there are none.
/// </summary>
internal static class JobFocus
{
    public const string None = "(none: the candidate gave no job description)";

    /// <summary>A fence of its own, so the instruction about the answer's fence still names exactly two lines.</summary>
    public static string NewDelimiter() => $"=====JOB-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}=====";

    public static string Describe(IReadOnlyList<string>? requirements, string delimiter) =>
        requirements is { Count: > 0 } ? string.Join("\n", requirements.Select(r => $"- {AnswerFence.Neutralise(r, delimiter)}")) : None;
}

/// <summary>
/// Makes text safe to fence and to render into a chat prompt: the fence line cannot occur inside it, nor can
/// invisible or bidi characters, nor characters XML cannot carry (a pasted terminal escape would otherwise make the
/// rendered prompt unparseable).
/// </summary>
internal static class AnswerFence
{
    /// <summary>A fence line no answer can predict, and so none can close early.</summary>
    public static string NewDelimiter() => $"=====ANSWER-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}=====";

    public static string Neutralise(string answer, string delimiter)
    {
        var text = answer.Replace(delimiter, string.Empty, StringComparison.Ordinal);
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }

            if (!XmlConvert.IsXmlChar(c) || c is (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2060' and <= '\u2069') or '\uFEFF' or '\u00AD')
            {
                continue;
            }

            builder.Append(c);
        }

        // Equals-runs are the fence's shape; a candidate's own "=====" line cannot pass for it.
        return builder.ToString().Replace("=====", "= = =", StringComparison.Ordinal);
    }
}
