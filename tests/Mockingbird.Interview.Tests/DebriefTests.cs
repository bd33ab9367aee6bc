using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Interview.Tests;

public sealed class DebriefTests
{
    private static readonly Question Project = new(
        "behavioral-project",
        Stage.Behavioral,
        ["ownership"],
        [Level.Senior],
        [Track.Applied],
        "Tell me about a project you are proud of.",
        [new RubricPoint("Says what they did themselves", ["i led", "i built"])],
        [],
        []);

    private static readonly Question RetrievalDepth = new(
        "theory-retrieval-depth",
        Stage.Theory,
        ["retrieval"],
        [Level.Senior],
        [Track.Applied],
        "How many candidates should a first-stage retriever return?",
        [new RubricPoint("Weighs recall against latency", ["recall", "latency"])],
        [],
        []);

    private static readonly Question FraudService = new(
        "design-fraud-scoring",
        Stage.Design,
        ["fraud"],
        [Level.Senior],
        [Track.Applied],
        "Design a fraud-scoring service that serves 5,000 requests per second within a 50 ms latency budget. Features can come from nightly batch jobs or streaming pipelines.",
        [new RubricPoint("Chooses feature freshness deliberately", ["streaming", "batch"], DesignDimension.Data)],
        [],
        [DesignDimension.Data, DesignDimension.Serving]);

    private static readonly Question AskTheTeam = new(
        "ask-the-team",
        Stage.QuestionsToAsk,
        ["team"],
        [Level.Senior],
        [Track.Applied],
        "What would you like to ask us?",
        [new RubricPoint("Asks about the work", ["roadmap"])],
        [],
        []);

    private static readonly QuestionBank Bank = new([Project, RetrievalDepth, FraudService, AskTheTeam]);

    private const string StreamingClaim = "At my last company I led the migration to streaming features for our fraud model.";

    private const string RecallAgainstLatency = "Retrieval depth is a trade-off of recall against latency: more candidates raise recall but take longer.";

    private const string BatchDesign = "I would start with a gradient-boosted model over batch features refreshed nightly.";

    private const string RepeatedBudget = "What latency budget does the scoring service have?";

    private const string RepeatedTradeOff = "Do you trade recall for latency when you tune retrieval depth?";

    [Fact]
    public void A_behavioral_claim_the_design_never_backs_up_is_found_quoting_both_rounds()
    {
        var debrief = Finished(
            behavioral: $"{StreamingClaim} We shipped it in a quarter.",
            theory: RecallAgainstLatency,
            design: $"{BatchDesign} Labels come from chargebacks and we watch drift weekly.",
            questions: "How does the team decide what to work on next quarter?").Debrief!;

        var finding = Assert.Single(debrief.Findings, f => f.Kind == DebriefKind.UnbackedClaim);
        Assert.Equal((Stage.Behavioral, StreamingClaim), (finding.First.Stage, finding.First.Quote));
        Assert.Equal((Stage.Design, BatchDesign), (finding.Second.Stage, finding.Second.Quote));
        Assert.Contains("streaming", finding.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trade_off_named_in_theory_that_the_design_ignores_is_found_quoting_both_rounds()
    {
        var debrief = Finished(
            behavioral: "I joined a small team and we planned the work together.",
            theory: RecallAgainstLatency,
            design: BatchDesign,
            questions: "How does the team decide what to work on next quarter?").Debrief!;

        var finding = Assert.Single(debrief.Findings);
        Assert.Equal(DebriefKind.IgnoredTradeOff, finding.Kind);
        Assert.Equal((Stage.Theory, RecallAgainstLatency), (finding.First.Stage, finding.First.Quote));
        Assert.Equal((Stage.Design, BatchDesign), (finding.Second.Stage, finding.Second.Quote));
        Assert.Contains("latency, recall and retrieval against each other", finding.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Questions_to_ask_that_repeat_the_interviewer_or_the_candidate_are_found_quoting_both_sides()
    {
        var debrief = Finished(
            behavioral: "I joined a small team and we planned the work together.",
            theory: RecallAgainstLatency,
            design: "Streaming features feed a model capped at 50 candidates, so recall stays high within the latency budget.",
            questions: $"{RepeatedBudget} {RepeatedTradeOff}").Debrief!;

        Assert.True(debrief.Findings.Count == 2, string.Join("\n", debrief.Findings));
        Assert.All(debrief.Findings, f => Assert.Equal(DebriefKind.RepeatedQuestion, f.Kind));
        var interviewer = debrief.Findings[0];
        Assert.True(interviewer.First.ByInterviewer);
        Assert.Equal(Stage.Design, interviewer.First.Stage);
        Assert.Contains("50 ms latency budget", interviewer.First.Quote, StringComparison.Ordinal);
        Assert.Equal((Stage.QuestionsToAsk, RepeatedBudget), (interviewer.Second.Stage, interviewer.Second.Quote));
        var candidate = debrief.Findings[1];
        Assert.Equal((Stage.Theory, RecallAgainstLatency, false), (candidate.First.Stage, candidate.First.Quote, candidate.First.ByInterviewer));
        Assert.Equal((Stage.QuestionsToAsk, RepeatedTradeOff), (candidate.Second.Stage, candidate.Second.Quote));
    }

    [Fact]
    public void A_consistent_interview_gets_no_finding()
    {
        var card = Finished(
            behavioral: "I led the migration to streaming features for our fraud model, and we cut p99 latency by 40%.",
            theory: RecallAgainstLatency,
            design: "Streaming features from Kafka feed the model, and I would cap retrieval at 50 candidates to keep recall high within the 50 ms latency budget.",
            questions: "How does the team decide what to work on next quarter? What does on-call look like?");

        Assert.NotNull(card.Debrief);
        Assert.True(card.Debrief.Consistent);
        Assert.Empty(card.Debrief.Findings);
        Assert.Equal(Debriefs.Offline, card.Debrief.Source);
    }

    [Fact]
    public void A_claim_on_a_topic_the_design_question_does_not_touch_is_not_held_against_the_design()
    {
        var card = Finished(
            behavioral: "I led the move to quantized models on our GPUs and we halved serving cost.",
            theory: "Bigger batches raise throughput.",
            design: BatchDesign,
            questions: "How does the team decide what to work on next quarter?");

        Assert.True(card.Debrief!.Findings.Count == 0, string.Join("\n", card.Debrief.Findings));
    }

    [Fact]
    public void A_single_stage_interview_has_no_debrief()
    {
        var kit = new EngineTestKit(Bank).Start(InterviewPlan.Behavioral, questions: 1);

        var card = kit.AnswerAndJudge(StreamingClaim).OfType<PostScorecard>().Single().Scorecard;

        Assert.Null(card.Debrief);
    }

    [Fact]
    public void The_end_report_names_the_strongest_and_weakest_dimension_with_a_quote_that_shows_each()
    {
        var card = Finished(
            behavioral: StreamingClaim,
            theory: RecallAgainstLatency,
            design: BatchDesign,
            questions: "How does the team decide what to work on next quarter?",
            dimensions: (stage, answer) => stage == Stage.Design
                ? [new DimensionScore("depth", 4, [answer], "deep"), new DimensionScore("cost", 1, ["over batch features refreshed nightly"], "no cost")]
                : [new DimensionScore("depth", 3, [answer], "fine")]);

        Assert.Equal(2, card.Highlights!.Count);
        Assert.Equal(("depth", 3.3, Stage.Design, BatchDesign), (card.Highlights[0].Dimension, card.Highlights[0].Score, card.Highlights[0].Stage, card.Highlights[0].Quote));
        Assert.Equal(("cost", 1.0, "over batch features refreshed nightly"), (card.Highlights[1].Dimension, card.Highlights[1].Score, card.Highlights[1].Quote));
    }

    [Fact]
    public void A_judged_answer_keeps_at_most_two_short_quotes_and_a_handful_of_signals_once_its_text_is_dropped()
    {
        var longClaim = $"I led the migration to streaming features for our fraud model, {string.Join(", ", Enumerable.Repeat("with caching and batching and drift monitors", 6))}.";
        var kit = new EngineTestKit(Bank).Start(InterviewPlan.Full);
        kit.AnswerAndJudge($"{longClaim} We cut p99 latency by 40% and halved GPU cost. I also introduced A/B tests and labels.");
        kit.AnswerAndJudge(RecallAgainstLatency);

        var behavioral = kit.Session.Turns[0];
        Assert.Null(behavioral.Answer);
        Assert.InRange(behavioral.Score!.Quotes.Count, 1, AnswerDigests.MaxQuotes);
        Assert.All(behavioral.Score.Quotes, q => Assert.InRange(q.Text.Length, 1, AnswerDigests.MaxQuoteLength));
        Assert.InRange(behavioral.Score.Signals.Count, 1, AnswerDigests.MaxSignals);
        Assert.Contains("c:streaming", behavioral.Score.Signals);
        Assert.EndsWith("…", behavioral.Score.Quotes[0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Attention ")]
    [InlineData("Attention: ")]
    public void A_quote_cut_in_a_run_of_emoji_keeps_each_emoji_whole(string opening)
    {
        var quote = AnswerDigests.Shorten(opening + string.Concat(Enumerable.Repeat("\U0001F600", 80)));

        Assert.EndsWith("…", quote, StringComparison.Ordinal);
        Assert.InRange(quote.Length, 2, AnswerDigests.MaxQuoteLength);
        Assert.DoesNotContain(quote.Select((c, i) => (c, i)), x => char.IsSurrogate(x.c) && !char.IsSurrogatePair(quote, char.IsHighSurrogate(x.c) ? x.i : x.i - 1));
    }

    private static Scorecard Finished(string behavioral, string theory, string design, string questions, Func<Stage, string, IReadOnlyList<DimensionScore>>? dimensions = null)
    {
        var kit = new EngineTestKit(Bank).Start(InterviewPlan.Full);
        var answers = new Dictionary<Stage, string>
        {
            [Stage.Behavioral] = behavioral,
            [Stage.Theory] = theory,
            [Stage.Design] = design,
            [Stage.QuestionsToAsk] = questions,
        };
        IReadOnlyList<InterviewAction> last = [];
        for (var guard = 0; guard < 10 && kit.Session.Phase != SessionPhase.Completed; guard++)
        {
            var stage = kit.Engine.QuestionAt(kit.Session, kit.Session.Current.QuestionIndex).Stage;
            kit.Send(new AnswerSubmitted(answers[stage]));
            var request = kit.LastActions.OfType<RequestJudgement>().Single();
            var feedback = EngineTestKit.Feedback(request.Request.Question.Id, 3) with
            {
                Dimensions = dimensions?.Invoke(stage, answers[stage]) ?? [new DimensionScore("coverage", 3, [], "canned")],
            };
            last = kit.Send(new JudgementReady(request.TurnNumber, feedback));
        }

        return last.OfType<PostScorecard>().Single().Scorecard;
    }
}
