using System.Globalization;
using System.Text;
using Mockingbird.Chat;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Host.Rendering;

/// <summary>Turns engine actions into plain text for the terminal.</summary>
public static class TextRenderer
{
    public static string Render(InterviewAction action) => action switch
    {
        PostIntroduction intro => Introduction(intro),
        PostQuestion question => Question(question),
        PostHint hint => $"Hint {hint.HintNumber}/{hint.HintsAllowed}: {hint.Text}",
        AcknowledgeAnswer ack => $"(answer recorded: {ack.Words} words; judging…)",
        PostFeedback feedback => Feedback(feedback),
        PostScorecard scorecard => Scorecard(scorecard.Scorecard),
        PostNotice notice => $"» {notice.Text}",
        RequestJudgement => string.Empty,
        _ => string.Empty,
    };

    private static string Introduction(PostIntroduction intro)
    {
        var text = new StringBuilder();
        var stages = string.Join(" · ", intro.Stages.Select(s => $"{s.Stage.Title().ToLowerInvariant()} {s.Questions}"));
        text.AppendLine(CultureInfo.InvariantCulture, $"=== Mock interview: {intro.Options.Plan.ToWire()} ({stages}) ===");
        text.Append(CultureInfo.InvariantCulture, $"Level: {intro.Options.Level?.ToWire() ?? "any"} · Track: {intro.Options.Track?.ToWire() ?? "any"}");
        foreach (var note in intro.Notes)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"Note: {note}");
        }

        return text.ToString();
    }

    public static string QuestionHeader(PostQuestion question)
    {
        var what = question.FollowUpNumber is { } f
            ? $"Follow-up {f} on question {question.Number}"
            : $"Question {question.Number} of {question.Total}";
        return $"--- {what} · {question.Stage.Title()}{(question.IsRepeat ? " (again)" : string.Empty)} ---";
    }

    private static string Question(PostQuestion question) => $"{QuestionHeader(question)}{Environment.NewLine}{question.Text}";

    public static string Feedback(Feedback feedback, string? heading = null)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"--- {heading ?? "Feedback"} · {feedback.Total:0.0}/4 · {feedback.Label} ---");
        var width = feedback.Dimensions.Count == 0 ? 0 : feedback.Dimensions.Max(d => d.Name.Length);
        foreach (var dimension in feedback.Dimensions)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {dimension.Name.PadRight(width)}  {dimension.Score}/4  {dimension.Rationale}");
        }

        (string Title, string[] Lines)[] sections =
        [
            ("Covered:", [.. feedback.Covered.Select(p => $"  ✓ {p.Point}{Environment.NewLine}      \"{p.Evidence}\"")]),
            ("Missed:", [.. feedback.Missed.Select(p => $"  ✗ {p}")]),
            ("Delivery (not scored):", [.. feedback.Insights.Select(i => $"  · {i}")]),
        ];
        foreach (var (title, lines) in sections.Where(s => s.Lines.Length > 0))
        {
            text.AppendLine(title);
            foreach (var line in lines)
            {
                text.AppendLine(line);
            }
        }

        foreach (var flag in feedback.Flags)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  ! {flag}");
        }

        text.Append(CultureInfo.InvariantCulture, $"Next drill: {feedback.NextDrill}");
        return text.ToString();
    }

    private static string Feedback(PostFeedback feedback) => Feedback(
        feedback.Feedback,
        feedback.FollowUpNumber is { } f ? $"Feedback on follow-up {f} to question {feedback.QuestionNumber}" : $"Feedback on question {feedback.QuestionNumber}");

    /// <summary>The terminal shows the candidate's own words as they are: nothing there can ping anyone.</summary>
    private sealed class PlainText : ChatMarkup
    {
        public static readonly PlainText Instance = new();

        public override string Title(string text) => text;

        public override string Heading(string text) => text;

        public override string Note(string text) => text;

        public override string Bold(string text) => text;

        public override string Inert(string text) => text;
    }

    private static string Scorecard(Scorecard card)
    {
        var text = new StringBuilder();
        text.AppendLine("=== Scorecard ===");
        foreach (var stage in card.Stages)
        {
            var score = stage.Score is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0}/4") : "  — ";
            var counts = ChatRenderer.StageCounts(stage);
            var range = stage.Strongest is null || stage.Strongest == stage.Weakest ? string.Empty : $"  strongest: {stage.Strongest} · weakest: {stage.Weakest}";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {stage.Stage.Title(),-17} {score}  ({counts}){range}");
        }

        var highlights = card.Highlights ?? [];
        for (var i = 0; i < highlights.Count; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{(i == 0 ? "Strongest:" : "Weakest:  ")} {ChatRenderer.Highlight(highlights[i], PlainText.Instance)}");
        }

        text.AppendLine($"Overall: {card.Verdict()}");
        text.Append(CultureInfo.InvariantCulture, $"Hints used: {card.HintsUsed}");
        if (card.Judges.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" · Judged by: {string.Join(", ", card.Judges)}");
        }

        if (card.EndedEarly)
        {
            text.AppendLine().Append("Ended before every question was answered.");
        }

        if (card.Summary is { } summary)
        {
            text.AppendLine().AppendLine().Append(summary);
        }

        if (card.Debrief is { } debrief)
        {
            text.AppendLine().AppendLine().Append(CultureInfo.InvariantCulture, $"{ChatRenderer.DebriefTitle(debrief, ChatRenderer.AnsweredStages(card))} {ChatRenderer.DebriefSource(debrief.Source)}");
            foreach (var finding in debrief.Findings)
            {
                text.AppendLine().Append(CultureInfo.InvariantCulture, $"  • {finding.First.Stage.Title()} × {finding.Second.Stage.Title()}: {finding.Note}");
                text.AppendLine().Append(CultureInfo.InvariantCulture, $"      {ChatRenderer.Side(finding.First)}: \"{finding.First.Quote}\"");
                text.AppendLine().Append(CultureInfo.InvariantCulture, $"      {ChatRenderer.Side(finding.Second)}: \"{finding.Second.Quote}\"");
            }
        }

        if (card.JobCoverage is { Count: > 0 } coverage)
        {
            text.AppendLine().AppendLine().Append(ChatRenderer.JobCoverageTitle(coverage));
            foreach (var requirement in coverage)
            {
                text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {(requirement.Covered ? "✓" : "✗ not yet:")} {requirement.Requirement}");
            }
        }

        for (var i = 0; i < card.NextDrills.Count; i++)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "Next drills:" + Environment.NewLine : string.Empty)}  {i + 1}. {card.NextDrills[i]}");
        }

        return text.ToString();
    }
}
