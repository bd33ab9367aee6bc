using System.Globalization;
using System.Text;
using System.Text.Json;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Sessions.Redis.Tests;

public sealed class StoredSessionCodecTests
{
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);

    /// <summary>The length of an answer in the load benchmark's measurement of session size.</summary>
    private static readonly string Answer190 = new StringBuilder()
        .Append("I would start from the failure mode because it decides the metric, then compare two designs by cost and latency, ")
        .Append("and measure the result offline before an A/B test, then ship behind a flag and watch it.")
        .ToString()[..190];

    [Fact]
    public void Every_field_of_a_session_comes_back_exactly()
    {
        var session = EveryFieldSet();

        var decoded = StoredSessionCodec.Decode(StoredSessionCodec.Encode(session));

        Assert.Equal(Json(session), Json(decoded));
        Assert.Equal(session.StartedAt.Offset, decoded.StartedAt.Offset);
    }

    [Fact]
    public void A_small_session_is_stored_as_plain_json_and_a_large_one_compressed_and_both_come_back()
    {
        var small = EveryFieldSet() with { Phase = SessionPhase.AwaitingAnswer, Turns = [], Debrief = null };
        var large = EveryFieldSet() with { Turns = [.. Enumerable.Range(0, 12).Select(i => EveryFieldSet().Turns[0] with { Number = i + 1, Answer = Answer190 })] };

        var smallStored = StoredSessionCodec.Encode(small);
        var largeStored = StoredSessionCodec.Encode(large);

        Assert.Equal(StoredSessionCodec.PlainJson, smallStored[0]);
        Assert.Equal(StoredSessionCodec.CompressedJson, largeStored[0]);
        Assert.True(largeStored.Length < 12 * Answer190.Length / 2, $"{largeStored.Length} bytes for twelve repeated answers");
        Assert.Equal(Json(small), Json(StoredSessionCodec.Decode(smallStored)));
        Assert.Equal(Json(large), Json(StoredSessionCodec.Decode(largeStored)));
    }

    [Fact]
    public void Sessions_encoded_one_after_another_on_a_thread_each_come_back_as_themselves_whatever_the_size_of_the_one_before()
    {
        var huge = EveryFieldSet() with { Turns = [.. Enumerable.Range(0, 40).Select(i => EveryFieldSet().Turns[0] with { Number = i + 1, Answer = $"{i}: {new string((char)('a' + (i % 26)), 3000)}" })] };
        var large = EveryFieldSet() with { Turns = [.. Enumerable.Range(0, 12).Select(i => EveryFieldSet().Turns[0] with { Number = i + 1, Answer = Answer190 })] };
        var small = EveryFieldSet() with { Phase = SessionPhase.AwaitingAnswer, Turns = [], Debrief = null };

        // Larger than the buffers kept between writes, then each smaller one after a larger one.
        var stored = new[] { huge, large, small, large, huge, small }.Select(s => StoredSessionCodec.Encode(s)).ToList();

        Assert.Equal([Json(huge), Json(large), Json(small), Json(large), Json(huge), Json(small)], stored.Select(s => Json(StoredSessionCodec.Decode(s))));
        Assert.Equal(stored[1], stored[3]);
        Assert.Equal(stored[2], stored[5]);
        Assert.Equal(StoredSessionCodec.PlainJson, stored[2][0]);
    }

    /// <summary>
    /// A store hands out the session it wrote as if it had read it back (<see cref="RecentSessions"/>), so a decode
    /// must give back every string and number exactly, not merely the same JSON: JSON writes half a surrogate pair as
    /// U+FFFD on both sides of a comparison.
    /// </summary>
    [Fact]
    public void Every_step_of_a_full_interview_decodes_to_the_very_strings_and_numbers_it_was_written_with_emoji_cut_in_quotes_included()
    {
        var engine = new InterviewEngine(QuestionBankLoader.Load(RepositoryPaths.QuestionBank));
        var marks = new BankMarks(RedisFixture.Bank);
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 70));

        // No space after the first ten characters: a quote of it is cut where a pair begins.
        var steps = FullInterview(engine, request => RubricJudge.Judge(request), (_, turn) => turn % 2 == 0 ? $"Attention {emoji}. {Answer190}" : $"{emoji} then {Answer190}");

        foreach (var session in steps.Where(s => s.Phase != SessionPhase.Completed))
        {
            AssertExactlyEqual(session, StoredSessionCodec.Decode(StoredSessionCodec.Encode(session, marks), marks), "session");
        }
    }

    [Fact]
    public void Every_step_of_a_full_interview_judged_by_the_rubric_comes_back_exactly_and_carries_on_identically()
    {
        var engine = new InterviewEngine(QuestionBankLoader.Load(RepositoryPaths.QuestionBank));

        var marks = new BankMarks(RedisFixture.Bank);

        var steps = FullInterview(engine, request => RubricJudge.Judge(request));

        Assert.True(steps.Count >= 14, $"only {steps.Count} steps");
        foreach (var session in steps.Where(s => s.Phase != SessionPhase.Completed))
        {
            var decoded = StoredSessionCodec.Decode(StoredSessionCodec.Encode(session, marks), marks);
            Assert.Equal(Json(session), Json(decoded));
            var input = session.Phase == SessionPhase.Judging
                ? (InterviewInput)new JudgementReady(session.PendingTurn!.Number, RubricJudge.Judge(engine.JudgeAgain(session).Request))
                : new AnswerSubmitted(Answer190);
            var original = engine.Handle(session, input, Start.AddHours(1));
            var replayed = engine.Handle(decoded, input, Start.AddHours(1));
            Assert.Equal(Json(original.Session), Json(replayed.Session));
            Assert.Equal(original.Actions.Count, replayed.Actions.Count);
        }
    }

    [Fact]
    public void A_full_interview_with_190_character_answers_is_never_stored_in_more_than_two_kilobytes()
    {
        var engine = new InterviewEngine(QuestionBankLoader.Load(RepositoryPaths.QuestionBank));

        var largest = FullInterview(engine, request => new Feedback(request.Question.Id, "stub", "stub", [new DimensionScore("coverage", 3, [], "stub")], [], [], 3, [], [], "none"))
            .Max(s => StoredSessionCodec.Encode(s).Length);

        Assert.InRange(largest, 1, 2048);
    }

    [Fact]
    public void A_debrief_the_llm_wrote_comes_back_with_its_findings_sides_and_stamp_and_a_session_stored_before_debriefs_were_kept_reads_with_none()
    {
        var source = new FeedbackSource("llm", "gpt-test", "debrief", "v2", "cd34", "default", "debrief-trial", "arm-a", 900, 0, 120, 0);
        var debrief = new Debrief(
            [
                new DebriefFinding(DebriefKind.UnbackedClaim, "The claim is not backed.", new DebriefSide(Stage.Behavioral, "I led the migration to streaming"), new DebriefSide(Stage.Design, "features refreshed nightly")),
                new DebriefFinding(DebriefKind.IgnoredTradeOff, "Named, then not weighed.", new DebriefSide(Stage.Theory, "recall against latency"), new DebriefSide(Stage.Design, "Design a search service", ByInterviewer: true)),
            ],
            source);
        var completed = EveryFieldSet() with { Phase = SessionPhase.Completed, Debrief = debrief };

        var decoded = StoredSessionCodec.Decode(StoredSessionCodec.Encode(completed)).Debrief!;
        var consistent = StoredSessionCodec.Decode(StoredSessionCodec.Encode(completed with { Debrief = debrief with { Findings = [] } })).Debrief!;
        var before = StoredSessionCodec.Decode(Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"h":2,"m":{"x":"Summary.","s":{"k":"llm"}}}"""));

        Assert.Equal(debrief.Findings, decoded.Findings);
        Assert.Equal(source, decoded.Source);
        Assert.True(consistent.Consistent);
        Assert.Equal(source, consistent.Source);
        Assert.Null(before.Debrief);
        Assert.Equal("Summary.", before.Summary!.Text);
    }

    [Fact]
    public void A_session_stored_before_it_kept_its_place_reads_as_held_nowhere()
    {
        Assert.Null(StoredSessionCodec.Decode(Plain("""{"i":"s","c":"c","q":["a"],"g":[0]}""")).Place);
    }

    [Fact]
    public void A_session_stored_before_answers_kept_quotes_and_signals_reads_with_none()
    {
        var stored = Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"t":[{"s":{"j":"x","v":2,"r":"Drill."}}]}""");

        var score = StoredSessionCodec.Decode(stored).Turns[0].Score!;

        Assert.Equal((2.0, "Drill.", 0, 0), (score.Total, score.NextDrill, score.Quotes.Count, score.Signals.Count));
    }

    [Fact]
    public void A_full_interview_with_realistic_answers_keeps_its_end_report_material_and_is_never_stored_in_more_than_four_kilobytes()
    {
        var engine = new InterviewEngine(QuestionBankLoader.Load(RepositoryPaths.QuestionBank));

        // As the load benchmark judges: no missed points, but the judge quotes the answer as evidence as judges do.
        var steps = FullInterview(engine, request => new Feedback(request.Question.Id, "stub", "stub", [new DimensionScore("coverage", 3, [request.Answer[..80]], "stub")], [], [], 3, [], [], "none"), RealisticAnswer);

        var last = steps[^1];
        Assert.InRange(steps.Max(s => StoredSessionCodec.Encode(s).Length), 1, 4096);
        Assert.All(last.Turns.Where(t => t.Score is not null), t => Assert.NotEmpty(t.Score!.Quotes));
        Assert.Contains(last.Turns, t => t.Score!.Signals.Contains("c:streaming"));
        Assert.Equal(Json(last), Json(StoredSessionCodec.Decode(StoredSessionCodec.Encode(last))));
    }

    [Fact]
    public void The_end_report_material_of_a_full_interview_judged_by_the_rubric_adds_under_half_a_kilobyte_to_its_stored_session()
    {
        var engine = new InterviewEngine(QuestionBankLoader.Load(RepositoryPaths.QuestionBank));

        var steps = FullInterview(engine, request => RubricJudge.Judge(request), RealisticAnswer);

        var with = steps.Max(s => StoredSessionCodec.Encode(s).Length);
        var without = steps.Max(s => StoredSessionCodec.Encode(s with { Turns = [.. s.Turns.Select(t => t.Score is null ? t : t with { Score = t.Score with { Quotes = [], Signals = [] } })] }).Length);
        Assert.InRange(with - without, 1, 512);
    }

    [Fact]
    public void A_full_interview_judged_by_the_rubric_with_its_missed_and_quoted_points_by_mark_is_never_stored_in_more_than_1900_bytes()
    {
        var engine = new InterviewEngine(RedisFixture.Bank);
        var marks = new BankMarks(RedisFixture.Bank);

        // Canned answers that name little of any rubric, so nearly every point is missed on every turn: the largest case.
        var steps = FullInterview(engine, request => RubricJudge.Judge(request), RealisticAnswer);

        var byMark = steps.Max(s => StoredSessionCodec.Encode(s, marks).Length);
        var byText = steps.Max(s => StoredSessionCodec.Encode(s).Length);
        Assert.True(steps[^2].Turns.Sum(t => t.Score?.Missed.Count ?? 0) >= 20, "the answers missed too little to measure by");
        Assert.InRange(byMark, 1, 1900);
        Assert.True(byMark < byText * 2 / 3, $"{byMark} bytes by mark, {byText} by text");
    }

    [Fact]
    public void A_missed_point_reworded_or_removed_in_the_bank_since_it_was_stored_reads_as_reworded_and_a_moved_one_as_written()
    {
        var question = RedisFixture.Bank.Questions.First(q => q.Rubric.Count >= 3);
        var (first, second, third) = (question.Rubric[0], question.Rubric[1], question.Rubric[2]);
        var session = OneJudgedTurnOn(question, [first.Text, third.Text]);
        var stored = StoredSessionCodec.Encode(session, new BankMarks(RedisFixture.Bank));
        var reworded = new QuestionBank(RedisFixture.Bank.Questions.Select(q => q.Id == question.Id
            ? q with { Rubric = [third, second, first with { Text = first.Text + " (reworded)" }] }
            : q));

        var missed = StoredSessionCodec.Decode(stored, new BankMarks(reworded)).Turns[0].Score!.Missed;

        Assert.Equal([BankMarks.Reworded, third.Text], missed);
        Assert.Equal(Json(session), Json(StoredSessionCodec.Decode(stored, new BankMarks(RedisFixture.Bank))));
    }

    [Fact]
    public void Missed_points_that_are_not_all_in_their_questions_rubric_are_stored_as_text_and_come_back_exactly_whatever_the_bank()
    {
        var question = RedisFixture.Bank.Questions.First(q => q.Rubric.Count >= 2);
        var session = OneJudgedTurnOn(question, [question.Rubric[0].Text, "A point the rubric does not make"]);
        var emptied = new QuestionBank(RedisFixture.Bank.Questions.Select(q => q.Id == question.Id ? q with { Rubric = [] } : q));

        var stored = StoredSessionCodec.Encode(session, new BankMarks(RedisFixture.Bank));

        Assert.Equal(Json(session), Json(StoredSessionCodec.Decode(stored, new BankMarks(emptied))));
        Assert.Equal(Json(session), Json(StoredSessionCodec.Decode(stored)));
    }

    [Fact]
    public void A_stored_turn_with_missed_points_both_by_mark_and_as_text_is_refused_as_unreadable()
    {
        var stored = Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"t":[{"s":{"j":"x","v":2,"m":["A point"],"k":[7]}}]}""");

        Assert.Throws<UnreadableSessionException>(() => StoredSessionCodec.Decode(stored, new BankMarks(RedisFixture.Bank)));
    }

    [Theory]
    [InlineData("Revisit the topic: a strong answer also covers \"{0}\". Explain it in two sentences, with the reason.")]
    [InlineData("Design drill: spend two minutes on scoping: {1}")]
    [InlineData("Prepare a question that shows this: {1}.")]
    public void A_drill_quoting_a_rubric_point_whatever_the_case_of_its_first_letter_comes_back_exactly_and_reads_the_point_as_reworded_once_the_bank_rewords_it(string drillFormat)
    {
        var question = RedisFixture.Bank.Questions.First(q => q.Rubric.Count >= 2 && q.Rubric.All(p => p.Text.Length >= 40));
        var point = question.Rubric[1].Text;
        var drill = string.Format(CultureInfo.InvariantCulture, drillFormat, point, char.ToLowerInvariant(point[0]) + point[1..]);
        var session = WithDrill(OneJudgedTurnOn(question, []), drill);
        var reworded = new QuestionBank(RedisFixture.Bank.Questions.Select(q => q.Id == question.Id
            ? q with { Rubric = [.. q.Rubric.Select(p => p.Text == point ? p with { Text = point + " (reworded)" } : p)] }
            : q));

        var stored = StoredSessionCodec.Encode(session, new BankMarks(RedisFixture.Bank));

        Assert.DoesNotContain(point[1..], Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(drill, StoredSessionCodec.Decode(stored, new BankMarks(RedisFixture.Bank)).Turns[0].Score!.NextDrill);
        var (before, after) = (drill[..drill.IndexOf(point[1..], StringComparison.Ordinal)][..^1], drill[(drill.IndexOf(point[1..], StringComparison.Ordinal) + point.Length - 1)..]);
        Assert.Equal(before + BankMarks.Reworded + after, StoredSessionCodec.Decode(stored, new BankMarks(reworded)).Turns[0].Score!.NextDrill);
    }

    [Fact]
    public void A_drill_that_quotes_no_text_of_the_bank_is_stored_as_written()
    {
        var question = RedisFixture.Bank.Questions.First(q => q.Rubric.Count >= 2);
        var point = question.Rubric[0].Text;
        var drill = $"Practise saying why {point} Then \"answer again\": out loud.";
        var session = WithDrill(OneJudgedTurnOn(question, []), drill);

        var stored = StoredSessionCodec.Encode(session, new BankMarks(RedisFixture.Bank));

        Assert.Equal(drill, StoredSessionCodec.Decode(stored, BankMarks.None).Turns[0].Score!.NextDrill);
    }

    private static InterviewSession WithDrill(InterviewSession session, string drill) =>
        session with { Turns = [session.Turns[0] with { Score = session.Turns[0].Score! with { NextDrill = drill } }] };

    private static InterviewSession OneJudgedTurnOn(Question question, IReadOnlyList<string> missed) => new(
        "s-1",
        "slack:T1:U1",
        new InterviewOptions(InterviewPlan.Full),
        7,
        [new PlannedQuestion(question.Id, question.Stage)],
        new InterviewItem(0),
        SessionPhase.AwaitingAnswer,
        [new Turn(1, question.Id, question.Stage, null, TurnOutcome.Answered, null, 0, Start.AddMinutes(2), new TurnScore(RubricJudge.JudgeName, 1.5, [new ScoredDimension("coverage", 1)], missed, "Drill it."))],
        new Dictionary<string, int>(),
        EndRequested: false,
        Start,
        Start.AddMinutes(2));

    /// <summary>Answers of the length and kind candidates write, different on every turn as real answers are.</summary>
    private static string RealisticAnswer(Stage stage, int turn) => stage switch
    {
        Stage.Behavioral => $"At my last company I led the migration of our fraud model to streaming features, because batch features were a day stale. We ran both pipelines for two weeks and cut fraud losses by 30% (turn {turn}).",
        Stage.Theory => $"Retrieval depth is a trade-off of recall against latency: more candidates raise recall, but the reranker scores more pairs and p99 grows. I would pick the smallest k that keeps recall on target (turn {turn}).",
        Stage.Design => $"First the scope: 5,000 requests per second in 50 ms. Features come from a nightly batch job and a few streaming counters; a gradient-boosted model scores each payment and we alert on drift (turn {turn}).",
        _ => $"How does the team decide what goes on the roadmap each quarter? What does on-call look like for the models you own (turn {turn})?",
    };

    public static TheoryData<string, byte[]> Unreadable() => new()
    {
        { "nothing", [] },
        { "an unknown format", [(byte)'x', .. "{}"u8] },
        { "the long JSON form", JsonSerializer.SerializeToUtf8Bytes(EveryFieldSet(), RedisJson.Default.InterviewSession) },
        { "plain JSON cut short", StoredSessionCodec.Encode(EveryFieldSet())[..40] },
        { "compressed JSON cut short", Large()[..40] },
        { "a compressed length that lies", [StoredSessionCodec.CompressedJson, 0xFF, 0xFF, 0xFF, 0x7F, .. Large()[5..]] },
        { "garbage after the compressed tag", [StoredSessionCodec.CompressedJson, 10, 0, 0, 0, 1, 2, 3] },
        { "no id", Plain("""{"c":"c","q":["a"],"g":[0]}""") },
        { "stages that do not match the questions", Plain("""{"i":"s","c":"c","q":["a","b"],"g":[0]}""") },
        { "a current question past the end", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"x":1}""") },
        { "a turn on a question past the end", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"t":[{"q":3}]}""") },
        { "an unknown dimension name", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"t":[{"s":{"j":"x","v":2,"d":[4,2]}}]}""") },
        { "a first score without its judge", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"t":[{"s":{"v":2}}]}""") },
        { "an unknown phase", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"h":9}""") },
        { "a null turn", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"t":[null]}""") },
        { "a job description without requirements", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"j":{"t":["rag"]}}""") },
        { "a covered job requirement it does not have", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"j":{"r":["Own evals"],"c":[3]}}""") },
        { "a debrief without its source", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"b":{"f":[]}}""") },
        { "a debrief finding without its second side", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"b":{"s":{"k":"llm"},"f":[{"k":0,"n":"note","a":{"g":0,"q":"quote"}}]}}""") },
        { "a debrief finding of an unknown kind", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"b":{"s":{"k":"llm"},"f":[{"k":9,"n":"note","a":{"g":0,"q":"quote"},"b":{"g":1,"q":"quote"}}]}}""") },
        { "a drill's quoted point without its place", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"t":[{"s":{"j":"x","v":2,"r":"Revisit","rk":7}}]}""") },
        { "a drill's quoted point placed past its end", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"t":[{"s":{"j":"x","v":2,"r":"Revisit","rk":7,"ri":8}}]}""") },
        { "a drill's quoted point placed before its first letter", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"t":[{"s":{"j":"x","v":2,"r":"Revisit","rk":7,"ri":0}}]}""") },
        { "a quote without its key", Plain("""{"i":"s","c":"c","q":["a"],"g":[0],"t":[{"s":{"j":"x","v":2,"q":["depth"]}}]}""") },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void Unknown_or_corrupt_input_is_refused_as_unreadable(string what, byte[] stored)
    {
        var ex = Record.Exception(() => StoredSessionCodec.Decode(stored));

        Assert.True(ex is UnreadableSessionException, $"{what}: {ex?.GetType().Name ?? "no exception"}");
    }

    private static List<InterviewSession> FullInterview(InterviewEngine engine, Func<JudgeRequest, Feedback> judge, Func<Stage, int, string>? answer = null)
    {
        var now = Start;
        var session = engine.Start("3f2c9a1b7d4e4f0a9b8c7d6e5f4a3b2c", "slack:T012AB3CD:U045EF6GH", new InterviewOptions(InterviewPlan.Full), 11, new HashSet<string>(), now).Session!;
        var steps = new List<InterviewSession> { session };
        for (var guard = 0; guard < 50 && session.Phase != SessionPhase.Completed; guard++)
        {
            now = now.AddSeconds(97.123457);
            var text = answer?.Invoke(engine.QuestionAt(session, session.Current.QuestionIndex).Stage, session.Turns.Count + 1) ?? Answer190;
            var answered = engine.Handle(session, new AnswerSubmitted(text), now);
            var request = answered.Actions.OfType<RequestJudgement>().Single();
            session = engine.Handle(answered.Session, new JudgementReady(request.TurnNumber, judge(request.Request)), now.AddSeconds(3.5)).Session;
            steps.AddRange([answered.Session, session]);
        }

        Assert.Equal(SessionPhase.Completed, session.Phase);
        return steps;
    }

    /// <summary>A session with no field at its default, and a turn for each way a turn is stored differently.</summary>
    private static InterviewSession EveryFieldSet()
    {
        var llm = new FeedbackSource("llm", "gpt-test", "judge", "v3", "ab12", "b", "exp-1", "arm-b", 1200, 800, 150, 1);
        var rubric = new FeedbackSource("offline-rubric");
        return new InterviewSession(
            "s-1",
            "slack:T1:U1",
            new InterviewOptions(InterviewPlan.SystemDesign, Level.Staff, Track.Mlops, 3)
            {
                Job = new JobDescription(["Own evals for LLM features", "Ship retrieval for support agents"], ["llm-evaluation", "retrieval"], Track.Applied),
            },
            ulong.MaxValue - 7,
            [new PlannedQuestion("design-a", Stage.Design), new PlannedQuestion("design-b", Stage.Design), new PlannedQuestion("ask-c", Stage.QuestionsToAsk)],
            new InterviewItem(1, 1),
            SessionPhase.Judging,
            [
                new Turn(1, "design-a", Stage.Design, null, TurnOutcome.Answered, null, 2, Start.AddMinutes(2), new TurnScore("llm:gpt-test", 2.6666666666666665, [new ScoredDimension("coverage", 3), new ScoredDimension("trade-offs", 2)], ["point one", "point two"], "Drill trade-offs.")),
                new Turn(2, "design-a", Stage.Design, 0, TurnOutcome.Skipped, null, 0, Start.AddMinutes(3).AddTicks(17)),
                new Turn(3, "design-b", Stage.Design, null, TurnOutcome.Answered, "main answer", 1, Start.AddMinutes(5), new TurnScore("llm:gpt-test", 3, [new ScoredDimension("trade-offs", 4), new ScoredDimension("coverage", 1)], [], string.Empty)
                {
                    Quotes = [new TurnQuote("trade-offs", "Caching cuts p99 latency at the cost of stale answers."), new TurnQuote(AnswerDigests.Claim, "I led the move to streaming features.")],
                    Signals = ["t:latency+caching", "c:streaming", "latency"],
                    Source = new FeedbackSource("llm", "gpt-test", "judge-design", "v1", "h4sh", Experiment: "judge-2026-12", Arm: "v2"),
                }),
                new Turn(5, "design-b", Stage.Theory, 0, TurnOutcome.Answered, "follow-up answer", 0, Start.AddMinutes(6), new TurnScore("offline-rubric", 1.5, [], ["only point"], "Drill it.")),
                new Turn(6, "retired-question", Stage.MlCoding, 1, TurnOutcome.Answered, "pending answer", 0, Start.AddMinutes(7)),
            ],
            new Dictionary<string, int> { ["0"] = 2, ["1"] = 1 },
            EndRequested: true,
            Start,
            Start.AddMinutes(7).AddTicks(3))
        {
            WrittenFollowUps = new Dictionary<string, string> { ["1.0"] = "You said caching: what hit rate?", ["1.1"] = "And when the cache is cold?" },
            FollowUpSources = new Dictionary<string, FeedbackSource> { ["1.0"] = llm, ["1.1"] = rubric },
            Summary = new WrittenText("Strong on trade-offs, thin on evaluation.", llm),
            Debrief = new Debrief(
                [new DebriefFinding(DebriefKind.RepeatedQuestion, "Asked what was said.", new DebriefSide(Stage.Design, "Caching cuts p99", ByInterviewer: true), new DebriefSide(Stage.QuestionsToAsk, "What is p99?"))],
                llm with { PromptName = "debrief" }),
            JobRequirementsCovered = [1],
            Place = "1314159265358979323",
        };
    }

    private static byte[] Large()
    {
        var session = EveryFieldSet();
        return StoredSessionCodec.Encode(session with { Turns = [.. Enumerable.Range(0, 12).Select(i => session.Turns[0] with { Number = i + 1, Answer = Answer190 })] });
    }

    private static byte[] Plain(string json) => [StoredSessionCodec.PlainJson, .. Encoding.UTF8.GetBytes(json)];

    /// <summary>Compares public properties all the way down: strings ordinally, numbers bit for bit, lists item by item.</summary>
    private static void AssertExactlyEqual(object? expected, object? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected nothing, got {actual}");
                return;
            case string text:
                Assert.True(actual is string other && string.Equals(text, other, StringComparison.Ordinal), $"{path}: \"{text}\" came back as \"{actual}\"");
                return;
            case double number:
                Assert.True(actual is double back && BitConverter.DoubleToInt64Bits(number) == BitConverter.DoubleToInt64Bits(back), $"{path}: {number} came back as {actual}");
                return;
            case DateTimeOffset time:
                Assert.True(actual is DateTimeOffset backTime && time.EqualsExact(backTime), $"{path}: {time:O} came back as {actual:O}");
                return;
            case System.Collections.IDictionary dictionary:
                var otherDictionary = Assert.IsAssignableFrom<System.Collections.IDictionary>(actual);
                Assert.Equal(dictionary.Count, otherDictionary.Count);
                foreach (System.Collections.DictionaryEntry entry in dictionary)
                {
                    AssertExactlyEqual(entry.Value, otherDictionary[entry.Key], $"{path}[{entry.Key}]");
                }

                return;
            case System.Collections.IEnumerable items:
                var expectedItems = items.Cast<object?>().ToList();
                var actualItems = Assert.IsAssignableFrom<System.Collections.IEnumerable>(actual).Cast<object?>().ToList();
                Assert.True(expectedItems.Count == actualItems.Count, $"{path}: {expectedItems.Count} items came back as {actualItems.Count}");
                for (var i = 0; i < expectedItems.Count; i++)
                {
                    AssertExactlyEqual(expectedItems[i], actualItems[i], $"{path}[{i}]");
                }

                return;
        }

        var type = expected.GetType();
        Assert.Equal(type, actual?.GetType());
        if (type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(DateTime))
        {
            Assert.True(expected.Equals(actual), $"{path}: {expected} came back as {actual}");
            return;
        }

        foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertExactlyEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }

    private static string Json(InterviewSession session) => JsonSerializer.Serialize(session, RedisJson.Default.InterviewSession);
}
