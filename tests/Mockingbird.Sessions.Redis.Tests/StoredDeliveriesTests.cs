using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;

namespace Mockingbird.Sessions.Redis.Tests;

public sealed class StoredDeliveriesTests
{
    private static readonly StoredDeliveries WithBank = new(new BankMarks(RedisFixture.Bank));

    [Fact]
    public void Every_delivery_of_a_full_interview_judged_by_the_rubric_comes_back_exactly_in_under_1100_bytes_and_under_two_thirds_of_its_form_without_marks()
    {
        var deliveries = FullInterviewDeliveries();

        foreach (var actions in deliveries)
        {
            Assert.Equal(Json(actions), Json(WithBank.Decode(WithBank.Encode(actions))!));
        }

        var largest = deliveries.Max(actions => WithBank.Encode(actions).Length);
        var largestWithoutMarks = deliveries.Max(actions => Unmarked(actions).Length);
        Assert.Contains(deliveries, actions => actions.OfType<PostScorecard>().Any());
        Assert.InRange(largest, 1, 1100);
        Assert.True(largest < largestWithoutMarks * 2 / 3, $"{largest} bytes with marks, {largestWithoutMarks} without");
    }

    [Fact]
    public void A_text_the_bank_holds_is_stored_by_its_mark_and_texts_that_start_with_the_mark_sign_or_look_like_a_mark_come_back_as_written()
    {
        // A prompt JSON writes as it is, so that it can be looked for in the stored JSON.
        var question = RedisFixture.Bank.Questions.First(q => q.Prompt.Length > 40 && q.Prompt.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or ',' or '.' or '?'));
        IReadOnlyList<InterviewAction> actions =
        [
            new PostQuestion(1, 7, question.Stage, question.Id, question.Prompt, null, false),
            new PostNotice("~"),
            new PostNotice("~~ two signs"),
            new PostNotice("~0badcafe"),
            new PostNotice("~" + question.Prompt),
            new PostHint("~~~", 1, 2),
            new AcknowledgeAnswer(3, 120),
            new PostIntroduction(new InterviewOptions(InterviewPlan.Theory), [new StagePlan(Stage.Theory, 3)], ["~note"]),
        ];

        var stored = WithBank.Encode(actions);

        // Only the notice that starts with the mark sign keeps the prompt as text.
        Assert.Equal(2, Decompressed(stored).Split(question.Prompt).Length);
        Assert.Equal(Json(actions), Json(WithBank.Decode(stored)!));
    }

    [Fact]
    public void A_text_the_bank_rewords_before_a_repeated_job_reads_the_delivery_reads_as_changed_and_the_rest_as_written()
    {
        var question = RedisFixture.Bank.Questions.First(q => q.Prompt.Length > 40);
        IReadOnlyList<InterviewAction> actions = [new PostQuestion(1, 7, question.Stage, question.Id, question.Prompt, null, false), new PostNotice("Kept as written.")];
        var reworded = new StoredDeliveries(new BankMarks(new QuestionBank(RedisFixture.Bank.Questions.Select(q => q.Id == question.Id ? q with { Prompt = q.Prompt + " (reworded)" } : q))));

        var read = reworded.Decode(WithBank.Encode(actions))!;

        Assert.Equal("(changed in the question bank since this feedback was saved)", Assert.IsType<PostQuestion>(read[0]).Text);
        Assert.Equal("Kept as written.", Assert.IsType<PostNotice>(read[1]).Text);
    }

    [Fact]
    public void Without_a_bank_every_text_is_stored_as_written_and_comes_back_exactly()
    {
        var withoutBank = new StoredDeliveries(BankMarks.None);
        var deliveries = FullInterviewDeliveries();

        Assert.All(deliveries, actions => Assert.Equal(Json(actions), Json(withoutBank.Decode(withoutBank.Encode(actions))!)));
        Assert.Contains(RedisFixture.Bank.Questions[0].Prompt, Decompressed(withoutBank.Encode([new PostNotice(RedisFixture.Bank.Questions[0].Prompt)])), StringComparison.Ordinal);
    }

    [Fact]
    public void A_delivery_stored_before_marks_reads_its_texts_as_written_even_one_that_starts_with_the_mark_sign()
    {
        IReadOnlyList<InterviewAction> actions = [new PostNotice("~0badcafe"), new PostNotice("~~ two signs")];

        var read = WithBank.Decode(Unmarked(actions))!;

        Assert.Equal(Json(actions), Json(read));
    }

    private static byte[] Unmarked(IReadOnlyList<InterviewAction> actions)
    {
        using var output = new MemoryStream();
        output.Write(Encoding.ASCII.GetBytes($"{InterviewSession.SchemaVersion}b|"));
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            brotli.Write(JsonSerializer.SerializeToUtf8Bytes(actions, RedisJson.Default.IReadOnlyListInterviewAction));
        }

        return output.ToArray();
    }

    private static string Decompressed(byte[] stored)
    {
        var bar = Array.IndexOf(stored, (byte)'|');
        using var brotli = new BrotliStream(new MemoryStream(stored, bar + 1, stored.Length - bar - 1), CompressionMode.Decompress);
        using var reader = new StreamReader(brotli, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string Json(IReadOnlyList<InterviewAction> actions) => JsonSerializer.Serialize(actions, RedisJson.Default.IReadOnlyListInterviewAction);

    /// <summary>What a worker saves on each judged turn of a full interview, with answers that miss nearly every point.</summary>
    private static List<IReadOnlyList<InterviewAction>> FullInterviewDeliveries()
    {
        var engine = new InterviewEngine(RedisFixture.Bank);
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var session = engine.Start("3f2c9a1b7d4e4f0a9b8c7d6e5f4a3b2c", "slack:T012AB3CD:U045EF6GH", new InterviewOptions(InterviewPlan.Full), 11, new HashSet<string>(), now).Session!;
        var deliveries = new List<IReadOnlyList<InterviewAction>>();
        for (var guard = 0; guard < 50 && session.Phase != SessionPhase.Completed; guard++)
        {
            var answered = engine.Handle(session, new AnswerSubmitted("At my last company I led the migration of our fraud model to streaming features, because batch features were a day stale. We ran both pipelines for two weeks and cut fraud losses by 30%."), now);
            var request = answered.Actions.OfType<RequestJudgement>().Single();
            var judged = engine.Handle(answered.Session, new JudgementReady(request.TurnNumber, RubricJudge.Judge(request.Request)), now);
            deliveries.Add(judged.Actions);
            session = judged.Session;
        }

        Assert.Equal(SessionPhase.Completed, session.Phase);
        return deliveries;
    }
}
