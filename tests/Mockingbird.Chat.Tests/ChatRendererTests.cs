using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Tests;

public sealed class ChatRendererTests
{
    private static readonly Feedback Judged = new("q1", "rubric", "solid", [], [], [], 3.0, [], [], "Say <@everyone> less");

    [Theory]
    [InlineData(0, "3 answered, 1 skipped")]
    [InlineData(2, "3 answered, 1 skipped, 2 not answered")]
    public void A_stage_names_the_questions_left_unanswered_only_when_there_are_some(int unanswered, string counts)
    {
        Assert.Equal(counts, ChatRenderer.StageCounts(new StageResult(Stage.Theory, 2.5, 3, 0, 1, unanswered, null, null)));
    }

    [Fact]
    public void Feedback_shown_to_a_group_is_headed_with_whose_answer_it_judged()
    {
        var text = ChatRenderer.TextOf(new PostFeedback(0, 1, null, Judged, For: "<@42>"), BracketMarkup.Instance);

        Assert.StartsWith("[H:Feedback for <@42> · 3.0/4]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Feedback_in_an_interview_is_headed_with_its_question()
    {
        var text = ChatRenderer.TextOf(new PostFeedback(2, 1, null, Judged), BracketMarkup.Instance);

        Assert.StartsWith("[H:Feedback on question 1 · 3.0/4]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Markup_text_is_posted_as_written_while_a_notice_is_made_inert()
    {
        Assert.Equal("*bold* <#C1>", ChatRenderer.TextOf(new PostMarkup("*bold* <#C1>"), BracketMarkup.Instance));
        Assert.Equal("» [I:<#C1>]", ChatRenderer.TextOf(new PostNotice("<#C1>"), BracketMarkup.Instance));
    }

    private static Scorecard EndReport(Debrief debrief) => new(
        "s",
        [new StageResult(Stage.Behavioral, 3.0, 1, 0, 0, 0, "star-structure", "ownership"), new StageResult(Stage.Design, 2.0, 1, 0, 0, 0, "data", "cost")],
        2.5,
        HiringSignal.LeanHire,
        0,
        ["offline-rubric"],
        ["Drill cost"],
        false,
        Highlights: [new DimensionHighlight("depth", 3.5, Stage.Theory, "Because <@1> said so"), new DimensionHighlight("cost", 1.5, Stage.Design, null)],
        Debrief: debrief);

    [Fact]
    public void The_end_report_shows_the_strongest_and_weakest_dimension_and_each_finding_with_both_rounds_quoted_inert()
    {
        var finding = new DebriefFinding(
            DebriefKind.UnbackedClaim,
            "The claim is not backed.",
            new DebriefSide(Stage.Behavioral, "I led the streaming <@1> migration."),
            new DebriefSide(Stage.Design, "Nightly batch features.", ByInterviewer: false));

        var text = ChatRenderer.TextOf(new PostScorecard(EndReport(new Debrief([finding], Debriefs.Offline))), BracketMarkup.Instance)!;

        Assert.Contains("[B:Strongest:] [I:depth] 3.5/4 (theory) — “[I:Because <@1> said so]”\n[B:Weakest:] [I:cost] 1.5/4 (system design)\n", text, StringComparison.Ordinal);
        Assert.Contains(
            "[B:Debrief: the rounds read together] (read offline from rubric evidence)\n• [B:Behavioral × System design:] [I:The claim is not backed.]\n    You (behavioral): “[I:I led the streaming <@1> migration.]”\n    You (system design): “[I:Nightly batch features.]”",
            text,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { Stage.Behavioral, Stage.Theory, Stage.Design, Stage.QuestionsToAsk }, " (it looked for claims your design answers do not back, trade-offs named in theory but not weighed in the design and questions to the interviewer that were already answered).")]
    [InlineData(new[] { Stage.Theory, Stage.Design }, " (it looked for trade-offs named in theory but not weighed in the design).")]
    [InlineData(new[] { Stage.Behavioral, Stage.QuestionsToAsk }, " (it looked for questions to the interviewer that were already answered).")]
    [InlineData(new[] { Stage.Behavioral, Stage.Theory }, ".")]
    public void A_debrief_that_found_nothing_names_only_the_checks_the_answered_rounds_allow(Stage[] answered, string ending)
    {
        Assert.Equal($"Debrief: reading your rounds side by side found nothing to flag{ending}", ChatRenderer.DebriefTitle(new Debrief([], Debriefs.Offline), answered));
    }

    [Fact]
    public void A_consistent_debrief_says_so_and_names_the_prompt_that_read_the_rounds()
    {
        var text = ChatRenderer.TextOf(new PostScorecard(EndReport(new Debrief([], new FeedbackSource("llm", "m", "debrief", "v1")))), BracketMarkup.Instance)!;

        Assert.Contains("[B:Debrief: reading your rounds side by side found nothing to flag (it looked for claims your design answers do not back).] (read by the debrief prompt v1)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("×", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tailored_interviews_scorecard_lists_the_jobs_requirements_covered_and_not_yet_with_the_pasted_text_inert()
    {
        var card = EndReport(new Debrief([], Debriefs.Offline)) with
        {
            JobCoverage = [new RequirementCoverage("Own evals <@1> cares about", true), new RequirementCoverage("Ship retrieval", false)],
        };

        var text = ChatRenderer.TextOf(new PostScorecard(card), BracketMarkup.Instance)!;

        Assert.Contains("[B:Your job description: your answers spoke to 1 of its 2 requirements]\n✓ [I:Own evals <@1> cares about]\n✗ not yet: [I:Ship retrieval]", text, StringComparison.Ordinal);
    }

    private sealed class BracketMarkup : ChatMarkup
    {
        public static readonly BracketMarkup Instance = new();

        public override string Title(string text) => $"[T:{text}]";

        public override string Heading(string text) => $"[H:{text}]";

        public override string Note(string text) => $"[N:{text}]";

        public override string Bold(string text) => $"[B:{text}]";

        public override string Inert(string text) => $"[I:{text}]";
    }
}
