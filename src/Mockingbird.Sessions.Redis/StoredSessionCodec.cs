using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The form a session takes in Redis: a format byte, then JSON shaped for storage rather than for reading — one-letter
/// names, enums as numbers, defaults left out, a turn's question as an index into the session's questions, times as
/// ticks after the start, dimension names once per session, missed points and the text a drill quotes by
/// <see cref="BankMarks">mark</see>. Every field of <see cref="InterviewSession"/> comes back exactly (a text of the
/// bank, while the bank still has it); a value written by another format or cut short is refused with
/// <see cref="UnreadableSessionException"/>.
/// </summary>
internal static class StoredSessionCodec
{
    /// <summary>Compact JSON as it is.</summary>
    internal const byte PlainJson = (byte)'j';

    /// <summary>Compact JSON, Brotli-compressed, after its length as a little-endian 32-bit integer.</summary>
    internal const byte CompressedJson = (byte)'b';

    /// <summary>
    /// Compact JSON longer than this is compressed. Measured on a full interview with 190-character answers: below it
    /// compression would save at most a few hundred bytes of Redis memory for several times the encoding work, while
    /// sessions carrying the judges' missed points and drills shrink from about 10 KB to under 4 KB.
    /// </summary>
    internal const int CompressFrom = 1024;

    /// <summary>Brotli's fastest settings that still find the repeats across turns; a 64 KB window covers a whole session.</summary>
    private const int BrotliQuality = 1;

    private const int BrotliWindow = 16;

    /// <summary>Guards against a corrupt length asking for a huge buffer; a real session is a few kilobytes.</summary>
    private const int MaxJsonBytes = 4 * 1024 * 1024;

    /// <param name="bank">The bank's texts, to store missed points and quoted ones by mark; without it they are stored as text.</param>
    public static byte[] Encode(InterviewSession session, BankMarks? bank = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        return ScratchJson.Encode(ToStored(session, bank), StoredSessionJson.Default.StoredSession, [PlainJson], CompressFrom, CompressedHead, BrotliQuality, BrotliWindow);
    }

    private static int CompressedHead(int jsonLength, Span<byte> into)
    {
        into[0] = CompressedJson;
        BinaryPrimitives.WriteInt32LittleEndian(into[1..], jsonLength);
        return 5;
    }

    /// <param name="bank">The bank's texts, to read points stored by mark; without it each reads as reworded.</param>
    public static InterviewSession Decode(ReadOnlySpan<byte> stored, BankMarks? bank = null)
    {
        try
        {
            var format = stored.IsEmpty ? (byte)0 : stored[0];
            return format switch
            {
                PlainJson => Read(stored[1..], bank),
                CompressedJson => ReadCompressed(stored[1..], bank),
                _ => throw new UnreadableSessionException("The stored session is in an unknown format."),
            };
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new UnreadableSessionException("The stored session is not valid.", ex);
        }
    }

    private static InterviewSession Read(ReadOnlySpan<byte> json, BankMarks? bank) =>
        FromStored(JsonSerializer.Deserialize(json, StoredSessionJson.Default.StoredSession) ?? throw new UnreadableSessionException("The stored session is empty."), bank);

    /// <summary>Decompressed into a pooled buffer: the JSON is read at once and never kept.</summary>
    private static InterviewSession ReadCompressed(ReadOnlySpan<byte> compressed, BankMarks? bank)
    {
        var length = compressed.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(compressed) : -1;
        if (length is < 0 or > MaxJsonBytes)
        {
            throw new UnreadableSessionException("The stored session's length is not valid.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var json = buffer.AsSpan(0, length);
            return BrotliDecoder.TryDecompress(compressed[4..], json, out var written) && written == length
                ? Read(json, bank)
                : throw new UnreadableSessionException("The stored session does not decompress.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static StoredSession ToStored(InterviewSession session, BankMarks? bank)
    {
        var start = session.StartedAt;
        var questionIndex = new Dictionary<string, int>(session.Questions.Count, StringComparer.Ordinal);
        for (var i = 0; i < session.Questions.Count; i++)
        {
            questionIndex.TryAdd(session.Questions[i].Id, i);
        }

        var dimensionNames = new List<string>();
        var turns = new StoredTurn[session.Turns.Count];
        string? lastJudge = null;
        for (var i = 0; i < turns.Length; i++)
        {
            var turn = session.Turns[i];
            var known = questionIndex.TryGetValue(turn.QuestionId, out var index);
            turns[i] = new StoredTurn
            {
                Number = turn.Number == i + 1 ? null : turn.Number,
                Question = known ? index : 0,
                QuestionId = known ? null : turn.QuestionId,
                Stage = known && session.Questions[index].Stage == turn.Stage ? null : turn.Stage,
                FollowUp = turn.FollowUpIndex,
                Outcome = turn.Outcome,
                Answer = turn.Answer,
                Hints = turn.HintsUsed,
                At = Ticks(turn.At, start),
                Score = turn.Score is { } score ? ToStored(score, turn.QuestionId, bank ?? BankMarks.None, dimensionNames, ref lastJudge) : null,
            };
        }

        return new StoredSession
        {
            Id = session.Id,
            Candidate = session.CandidateId,
            Plan = session.Options.Plan,
            Level = session.Options.Level,
            Track = session.Options.Track,
            Count = session.Options.QuestionCount,
            Seed = session.Seed,
            Questions = [.. session.Questions.Select(q => q.Id)],
            Stages = [.. session.Questions.Select(q => q.Stage)],
            Current = session.Current.QuestionIndex,
            CurrentFollowUp = session.Current.FollowUpIndex,
            Phase = session.Phase,
            Turns = turns.Length == 0 ? null : turns,
            Dimensions = dimensionNames.Count == 0 ? null : [.. dimensionNames],
            Hints = session.Hints.Count == 0 ? null : new Dictionary<string, int>(session.Hints, StringComparer.Ordinal),
            EndRequested = session.EndRequested,
            Start = start.UtcTicks,
            Offset = (int)start.Offset.TotalMinutes,
            Updated = Ticks(session.UpdatedAt, start),
            WrittenFollowUps = session.WrittenFollowUps.Count == 0 ? null : new Dictionary<string, string>(session.WrittenFollowUps, StringComparer.Ordinal),
            FollowUpSources = session.FollowUpSources.Count == 0 ? null : session.FollowUpSources.ToDictionary(s => s.Key, s => (StoredSource?)ToStored(s.Value), StringComparer.Ordinal),
            Summary = session.Summary is { } summary ? new StoredText { Text = summary.Text, Source = ToStored(summary.Source) } : null,
            Debrief = session.Debrief is { } debrief ? ToStored(debrief) : null,
            Place = session.Place,
            Job = session.Options.Job is { } job
                ? new StoredJob
                {
                    Requirements = [.. job.Requirements],
                    Topics = job.Topics.Count == 0 ? null : [.. job.Topics],
                    Track = job.Track,
                    Covered = session.JobRequirementsCovered.Count == 0 ? null : [.. session.JobRequirementsCovered],
                }
                : null,
        };
    }

    /// <summary>Dimension names repeat on every judged turn, so each turn keeps (name index, score) pairs.</summary>
    private static StoredScore ToStored(TurnScore score, string questionId, BankMarks bank, List<string> dimensionNames, ref string? lastJudge)
    {
        var missedMarks = bank.MarksOf(questionId, score.Missed);
        var quoted = bank.Quoted(score.NextDrill);
        var dimensions = new int[score.Dimensions.Count * 2];
        for (var i = 0; i < score.Dimensions.Count; i++)
        {
            var name = score.Dimensions[i].Name;
            var index = dimensionNames.IndexOf(name);
            if (index < 0)
            {
                index = dimensionNames.Count;
                dimensionNames.Add(name);
            }

            dimensions[2 * i] = index;
            dimensions[(2 * i) + 1] = score.Dimensions[i].Score;
        }

        var sameJudge = score.Judge == lastJudge;
        lastJudge = score.Judge;
        return new StoredScore
        {
            Judge = sameJudge ? null : score.Judge,
            Total = score.Total,
            Dimensions = dimensions.Length == 0 ? null : dimensions,
            Missed = score.Missed.Count == 0 || missedMarks is not null ? null : [.. score.Missed],
            MissedMarks = missedMarks,
            NextDrill = quoted?.Cut ?? (score.NextDrill.Length == 0 ? null : score.NextDrill),
            DrillQuotes = quoted?.Mark,
            DrillQuotedAt = quoted?.At,
            Quotes = score.Quotes.Count == 0 ? null : [.. score.Quotes.SelectMany(q => new[] { q.Key, q.Text })],
            Signals = score.Signals.Count == 0 ? null : [.. score.Signals],
            Source = score.Source is { } source ? ToStored(source) : null,
        };
    }

    private static StoredDebrief ToStored(Debrief debrief) => new()
    {
        Findings = debrief.Findings.Count == 0 ? null : [.. debrief.Findings.Select(f => new StoredFinding { Kind = f.Kind, Note = f.Note, First = ToStored(f.First), Second = ToStored(f.Second) })],
        Source = ToStored(debrief.Source),
    };

    private static StoredSide ToStored(DebriefSide side) => new() { Stage = side.Stage, Quote = side.Quote, ByInterviewer = side.ByInterviewer };

    private static StoredSource ToStored(FeedbackSource source) => new()
    {
        JudgeKind = source.JudgeKind,
        Model = source.Model,
        PromptName = source.PromptName,
        PromptVersion = source.PromptVersion,
        PromptHash = source.PromptHash,
        Variant = source.Variant,
        Experiment = source.Experiment,
        Arm = source.Arm,
        PromptTokens = source.PromptTokens,
        CachedPromptTokens = source.CachedPromptTokens,
        CompletionTokens = source.CompletionTokens,
        SchemaFailures = source.SchemaFailures,
    };

    private static InterviewSession FromStored(StoredSession stored, BankMarks? bank)
    {
        if (stored is not { Id: { } id, Candidate: { } candidate, Questions: { } ids, Stages: { } stages }
            || stages.Length != ids.Length || stored.Current < 0 || stored.Current >= ids.Length || !Enum.IsDefined(stored.Phase))
        {
            throw new UnreadableSessionException("The stored session lacks a field or its questions do not add up.");
        }

        var questions = ids.Select((questionId, i) => new PlannedQuestion(questionId ?? throw Unreadable("a question without its id"), stages[i])).ToList();
        var offset = TimeSpan.FromMinutes(stored.Offset);
        var start = new DateTimeOffset(stored.Start, TimeSpan.Zero).ToOffset(offset);
        var dimensionNames = stored.Dimensions ?? [];
        var turns = new List<Turn>(stored.Turns?.Length ?? 0);
        string? lastJudge = null;
        foreach (var turn in stored.Turns ?? [])
        {
            if (turn is null)
            {
                throw Unreadable("an empty turn");
            }

            var question = turn.QuestionId is { } unplanned
                ? new PlannedQuestion(unplanned, turn.Stage ?? throw Unreadable("a turn on an unplanned question without its stage"))
                : questions[turn.Question] with { Stage = turn.Stage ?? questions[turn.Question].Stage };
            if (!Enum.IsDefined(turn.Outcome))
            {
                throw Unreadable("a turn with an unknown outcome");
            }

            turns.Add(new Turn(
                turn.Number ?? turns.Count + 1,
                question.Id,
                question.Stage,
                turn.FollowUp,
                turn.Outcome,
                turn.Answer,
                turn.Hints,
                start.AddTicks(turn.At),
                turn.Score is { } score ? FromStored(score, MissedOf(score, question.Id, bank), DrillOf(score, bank), dimensionNames, ref lastJudge) : null));
        }

        return new InterviewSession(
            id,
            candidate,
            new InterviewOptions(stored.Plan, stored.Level, stored.Track, stored.Count) { Job = JobFrom(stored.Job) },
            stored.Seed,
            questions,
            new InterviewItem(stored.Current, stored.CurrentFollowUp),
            stored.Phase,
            turns,
            stored.Hints ?? new Dictionary<string, int>(StringComparer.Ordinal),
            stored.EndRequested,
            start,
            start.AddTicks(stored.Updated))
        {
            WrittenFollowUps = stored.WrittenFollowUps ?? new Dictionary<string, string>(StringComparer.Ordinal),
            FollowUpSources = stored.FollowUpSources?.ToDictionary(s => s.Key, s => FromStored(s.Value ?? throw Unreadable("an empty follow-up source")), StringComparer.Ordinal) ?? new Dictionary<string, FeedbackSource>(StringComparer.Ordinal),
            Summary = stored.Summary switch
            {
                null => null,
                { Text: { } text, Source: { } source } => new WrittenText(text, FromStored(source)),
                _ => throw new UnreadableSessionException("The stored session's summary lacks its text or source."),
            },
            Debrief = stored.Debrief switch
            {
                null => null,
                { Source: { } source } debrief => new Debrief([.. (debrief.Findings ?? []).Select(FromStored)], FromStored(source)),
                _ => throw new UnreadableSessionException("The stored session's debrief lacks its source."),
            },
            Place = stored.Place,
            JobRequirementsCovered = stored.Job?.Covered is { } covered
                ? covered.All(i => i >= 0 && i < stored.Job.Requirements!.Length) ? covered : throw new UnreadableSessionException("The stored session marks a job requirement it does not have as covered.")
                : [],
        };
    }

    private static JobDescription? JobFrom(StoredJob? stored) => stored switch
    {
        null => null,
        { Requirements: { Length: > 0 } requirements } => new JobDescription(requirements, stored.Topics ?? [], stored.Track),
        _ => throw new UnreadableSessionException("The stored session's job description has no requirements."),
    };

    private static string[] MissedOf(StoredScore score, string questionId, BankMarks? bank) => score switch
    {
        { MissedMarks: { } marks, Missed: null } => (bank ?? BankMarks.None).TextsOf(questionId, marks),
        { MissedMarks: null } => score.Missed ?? [],
        _ => throw Unreadable("missed points both as marks and as text"),
    };

    private static string DrillOf(StoredScore score, BankMarks? bank) => score switch
    {
        { DrillQuotes: null, DrillQuotedAt: null } => score.NextDrill ?? string.Empty,
        { DrillQuotes: { } mark, DrillQuotedAt: { } at, NextDrill: { } cut } => (bank ?? BankMarks.None).Unquoted(cut, at, mark, BankMarks.Reworded),
        _ => throw Unreadable("a drill's quoted point without its mark, place or drill"),
    };

    private static TurnScore FromStored(StoredScore score, string[] missed, string drill, string[] dimensionNames, ref string? lastJudge)
    {
        var pairs = score.Dimensions ?? [];
        if (pairs.Length % 2 != 0)
        {
            throw new UnreadableSessionException("The stored session's dimension scores do not pair up.");
        }

        var dimensions = new ScoredDimension[pairs.Length / 2];
        for (var i = 0; i < dimensions.Length; i++)
        {
            dimensions[i] = new ScoredDimension(dimensionNames[pairs[2 * i]], pairs[(2 * i) + 1]);
        }

        var quotes = score.Quotes ?? [];
        if (quotes.Length % 2 != 0)
        {
            throw new UnreadableSessionException("The stored session's quotes do not pair up.");
        }

        lastJudge = score.Judge ?? lastJudge ?? throw new UnreadableSessionException("The stored session's first judged turn names no judge.");
        return new TurnScore(lastJudge, score.Total, dimensions, missed, drill)
        {
            Quotes = [.. quotes.Chunk(2).Select(pair => new TurnQuote(pair[0], pair[1]))],
            Signals = score.Signals ?? [],
            Source = score.Source is { } source ? FromStored(source) : null,
        };
    }

    private static DebriefFinding FromStored(StoredFinding? finding) => finding switch
    {
        { Note: { } note, First: { } first, Second: { } second } when Enum.IsDefined(finding.Kind) => new DebriefFinding(finding.Kind, note, FromStored(first), FromStored(second)),
        _ => throw Unreadable("a debrief finding without its kind, note or sides"),
    };

    private static DebriefSide FromStored(StoredSide side) =>
        side.Quote is { } quote && Enum.IsDefined(side.Stage)
            ? new DebriefSide(side.Stage, quote, side.ByInterviewer)
            : throw Unreadable("a debrief side without its quote or stage");

    private static FeedbackSource FromStored(StoredSource source) => new(
        source.JudgeKind ?? throw new UnreadableSessionException("The stored session has a source without its judge kind."),
        source.Model,
        source.PromptName,
        source.PromptVersion,
        source.PromptHash,
        source.Variant,
        source.Experiment,
        source.Arm,
        source.PromptTokens,
        source.CachedPromptTokens,
        source.CompletionTokens,
        source.SchemaFailures);

    private static UnreadableSessionException Unreadable(string what) => new($"The stored session has {what}.");

    /// <summary>Ticks keep the clock's precision exactly; counted from the start they stay short.</summary>
    private static long Ticks(DateTimeOffset at, DateTimeOffset start) => at.UtcTicks - start.UtcTicks;
}

/// <summary>Settable so the serializer fills it without buffering constructor arguments; it lives only inside the codec.</summary>
internal sealed class StoredSession
{
    [JsonPropertyName("i")]
    public string? Id { get; set; }

    [JsonPropertyName("c")]
    public string? Candidate { get; set; }

    [JsonPropertyName("p")]
    public InterviewPlan Plan { get; set; }

    [JsonPropertyName("l")]
    public Level? Level { get; set; }

    [JsonPropertyName("r")]
    public Track? Track { get; set; }

    [JsonPropertyName("n")]
    public int? Count { get; set; }

    [JsonPropertyName("s")]
    public ulong Seed { get; set; }

    [JsonPropertyName("q")]
    public string?[]? Questions { get; set; }

    [JsonPropertyName("g")]
    public Stage[]? Stages { get; set; }

    [JsonPropertyName("x")]
    public int Current { get; set; }

    [JsonPropertyName("f")]
    public int? CurrentFollowUp { get; set; }

    [JsonPropertyName("h")]
    public SessionPhase Phase { get; set; }

    [JsonPropertyName("t")]
    public StoredTurn?[]? Turns { get; set; }

    [JsonPropertyName("d")]
    public string[]? Dimensions { get; set; }

    [JsonPropertyName("k")]
    public Dictionary<string, int>? Hints { get; set; }

    [JsonPropertyName("e")]
    public bool EndRequested { get; set; }

    [JsonPropertyName("a")]
    public long Start { get; set; }

    [JsonPropertyName("o")]
    public int Offset { get; set; }

    [JsonPropertyName("u")]
    public long Updated { get; set; }

    [JsonPropertyName("w")]
    public Dictionary<string, string>? WrittenFollowUps { get; set; }

    [JsonPropertyName("ws")]
    public Dictionary<string, StoredSource?>? FollowUpSources { get; set; }

    [JsonPropertyName("m")]
    public StoredText? Summary { get; set; }

    [JsonPropertyName("j")]
    public StoredJob? Job { get; set; }

    /// <summary>Only when an LLM wrote the debrief: the offline one is read again from the turns.</summary>
    [JsonPropertyName("b")]
    public StoredDebrief? Debrief { get; set; }

    [JsonPropertyName("v")]
    public string? Place { get; set; }
}

internal sealed class StoredDebrief
{
    [JsonPropertyName("f")]
    public StoredFinding?[]? Findings { get; set; }

    [JsonPropertyName("s")]
    public StoredSource? Source { get; set; }
}

internal sealed class StoredFinding
{
    [JsonPropertyName("k")]
    public DebriefKind Kind { get; set; }

    [JsonPropertyName("n")]
    public string? Note { get; set; }

    [JsonPropertyName("a")]
    public StoredSide? First { get; set; }

    [JsonPropertyName("b")]
    public StoredSide? Second { get; set; }
}

internal sealed class StoredSide
{
    [JsonPropertyName("g")]
    public Stage Stage { get; set; }

    [JsonPropertyName("q")]
    public string? Quote { get; set; }

    [JsonPropertyName("i")]
    public bool ByInterviewer { get; set; }
}

/// <summary>The job description an interview is tailored to, with the requirements its answers covered so far.</summary>
internal sealed class StoredJob
{
    [JsonPropertyName("r")]
    public string[]? Requirements { get; set; }

    [JsonPropertyName("t")]
    public string[]? Topics { get; set; }

    [JsonPropertyName("k")]
    public Track? Track { get; set; }

    [JsonPropertyName("c")]
    public int[]? Covered { get; set; }
}

internal sealed class StoredTurn
{
    /// <summary>Left out when it is the turn's position (counted from 1), as the engine numbers turns.</summary>
    [JsonPropertyName("n")]
    public int? Number { get; set; }

    [JsonPropertyName("q")]
    public int Question { get; set; }

    /// <summary>Only for a turn whose question is not among the session's questions.</summary>
    [JsonPropertyName("qi")]
    public string? QuestionId { get; set; }

    /// <summary>Only when it differs from the stage planned for the question.</summary>
    [JsonPropertyName("g")]
    public Stage? Stage { get; set; }

    [JsonPropertyName("f")]
    public int? FollowUp { get; set; }

    [JsonPropertyName("o")]
    public TurnOutcome Outcome { get; set; }

    [JsonPropertyName("a")]
    public string? Answer { get; set; }

    [JsonPropertyName("h")]
    public int Hints { get; set; }

    [JsonPropertyName("t")]
    public long At { get; set; }

    [JsonPropertyName("s")]
    public StoredScore? Score { get; set; }
}

internal sealed class StoredScore
{
    /// <summary>Left out when the same judge scored the previous judged turn.</summary>
    [JsonPropertyName("j")]
    public string? Judge { get; set; }

    [JsonPropertyName("v")]
    public double Total { get; set; }

    /// <summary>(index into the session's dimension names, score) pairs.</summary>
    [JsonPropertyName("d")]
    public int[]? Dimensions { get; set; }

    [JsonPropertyName("m")]
    public string[]? Missed { get; set; }

    /// <summary>Instead of <see cref="Missed"/> when every missed point is in the question's rubric: see <see cref="BankMarks"/>.</summary>
    [JsonPropertyName("k")]
    public uint[]? MissedMarks { get; set; }

    /// <summary>With <see cref="DrillQuotes"/>, the drill with the text of the bank it quotes cut out: see <see cref="BankMarks.Quoted"/>.</summary>
    [JsonPropertyName("r")]
    public string? NextDrill { get; set; }

    [JsonPropertyName("rk")]
    public uint? DrillQuotes { get; set; }

    [JsonPropertyName("ri")]
    public int? DrillQuotedAt { get; set; }

    /// <summary>(what it shows, quote) pairs: the end report's quotes of the answer, kept after its text is dropped.</summary>
    [JsonPropertyName("q")]
    public string[]? Quotes { get; set; }

    /// <summary>The answer's signal words for the debrief.</summary>
    [JsonPropertyName("g")]
    public string[]? Signals { get; set; }

    /// <summary>Which judge, prompt and version scored the turn; absent for turns stored before it was kept.</summary>
    [JsonPropertyName("o")]
    public StoredSource? Source { get; set; }
}

internal sealed class StoredText
{
    [JsonPropertyName("x")]
    public string? Text { get; set; }

    [JsonPropertyName("s")]
    public StoredSource? Source { get; set; }
}

internal sealed class StoredSource
{
    [JsonPropertyName("k")]
    public string? JudgeKind { get; set; }

    [JsonPropertyName("m")]
    public string? Model { get; set; }

    [JsonPropertyName("n")]
    public string? PromptName { get; set; }

    [JsonPropertyName("v")]
    public string? PromptVersion { get; set; }

    [JsonPropertyName("h")]
    public string? PromptHash { get; set; }

    [JsonPropertyName("a")]
    public string? Variant { get; set; }

    [JsonPropertyName("e")]
    public string? Experiment { get; set; }

    [JsonPropertyName("r")]
    public string? Arm { get; set; }

    [JsonPropertyName("p")]
    public int PromptTokens { get; set; }

    [JsonPropertyName("cp")]
    public int CachedPromptTokens { get; set; }

    [JsonPropertyName("co")]
    public int CompletionTokens { get; set; }

    [JsonPropertyName("f")]
    public int SchemaFailures { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(StoredSession))]
internal sealed partial class StoredSessionJson : JsonSerializerContext;
