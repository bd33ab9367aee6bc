using System.Globalization;
using System.Text;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

/// <summary>
/// What each engine action says in a chat thread, the same on every platform; a <see cref="ChatMarkup"/> gives it the
/// platform's look and makes echoed text inert. Buttons and message limits stay with each platform's renderer.
/// </summary>
public static class ChatRenderer
{
    /// <summary>The action's text, or <c>null</c> for an action that shows nothing.</summary>
    public static string? TextOf(InterviewAction action, ChatMarkup markup)
    {
        ArgumentNullException.ThrowIfNull(markup);
        return action switch
        {
            PostIntroduction intro => Introduction(intro, markup),
            PostQuestion question => Question(question, markup),
            PostHint hint => $"💡 {markup.Bold($"Hint {hint.HintNumber}/{hint.HintsAllowed}:")} {markup.Inert(hint.Text)}",
            AcknowledgeAnswer ack => $"✅ Answer recorded ({ack.Words} words). Feedback is on its way.",
            PostFeedback feedback => Feedback(feedback, markup),
            PostScorecard scorecard => Scorecard(scorecard.Scorecard, markup),
            PostNotice notice => $"» {markup.Inert(notice.Text)}",
            PostMarkup text => text.Text,
            _ => null,
        };
    }

    /// <summary>Several actions as one text, for a private reply where no thread can take them.</summary>
    public static string TextOf(IReadOnlyList<InterviewAction> actions, ChatMarkup markup) =>
        string.Join("\n\n", actions.Select(a => TextOf(a, markup)).OfType<string>());

    /// <summary>An answer sent through a form, shown in the thread it answers.</summary>
    public static string AnswerEcho(string answer, ChatMarkup markup)
    {
        ArgumentNullException.ThrowIfNull(markup);
        return $"📝 {markup.Bold("Your answer")} (sent with the form):\n{markup.Inert(answer)}";
    }

    /// <summary>How a stage's questions went, in the words every surface uses (a chat thread, the terminal).</summary>
    public static string StageCounts(StageResult stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return $"{stage.Answered} answered, {stage.Skipped} skipped{(stage.Unanswered > 0 ? $", {stage.Unanswered} not answered" : string.Empty)}";
    }

    private static string Introduction(PostIntroduction intro, ChatMarkup markup)
    {
        var text = new StringBuilder();
        var stages = string.Join(" · ", intro.Stages.Select(s => $"{s.Stage.Title()} {s.Questions}"));
        text.Append(markup.Title($"Mock interview: {intro.Options.Plan.ToWire()}")).Append('\n').Append(stages);
        text.Append(CultureInfo.InvariantCulture, $" · level {intro.Options.Level?.ToWire() ?? "any"} · track {intro.Options.Track?.ToWire() ?? "any"}\n");
        foreach (var note in intro.Notes)
        {
            text.Append(markup.Note(markup.Inert(note))).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"Answer each question by writing in this thread (one message per answer), or with {markup.Bold("Answer in a form")} for long answers. Judged feedback follows each answer.");
        return text.ToString();
    }

    private static string Question(PostQuestion question, ChatMarkup markup)
    {
        var what = question.FollowUpNumber is { } f
            ? $"Follow-up {f} on question {question.Number}"
            : $"Question {question.Number} of {question.Total}";
        var again = question.IsRepeat ? " (again)" : string.Empty;
        return $"{markup.Heading($"{what} · {question.Stage.Title()}{again}")}\n{markup.Inert(question.Text)}";
    }

    private static string Feedback(PostFeedback posted, ChatMarkup markup)
    {
        var feedback = posted.Feedback;
        var heading = posted.For is { } member ? $"for {member}"
            : posted.FollowUpNumber is { } f ? $"on follow-up {f} to question {posted.QuestionNumber}"
            : $"on question {posted.QuestionNumber}";
        var text = new StringBuilder();
        text.Append(markup.Heading(string.Create(CultureInfo.InvariantCulture, $"Feedback {heading} · {feedback.Total:0.0}/4"))).Append('\n');
        text.Append(markup.Note(markup.Inert(feedback.Label))).Append('\n');
        foreach (var dimension in feedback.Dimensions)
        {
            text.Append(CultureInfo.InvariantCulture, $"• {markup.Bold(markup.Inert(dimension.Name))} {dimension.Score}/4 — {markup.Inert(dimension.Rationale)}\n");
        }

        Section(text, markup, "Covered", feedback.Covered.Select(p => $"✓ {markup.Inert(p.Point)} — “{markup.Inert(p.Evidence)}”"));
        Section(text, markup, "Missed", feedback.Missed.Select(p => $"✗ {markup.Inert(p)}"));
        Section(text, markup, "Delivery (not scored)", feedback.Insights.Select(i => $"· {markup.Inert(i)}"));
        foreach (var flag in feedback.Flags)
        {
            text.Append(CultureInfo.InvariantCulture, $"⚠️ {markup.Inert(flag)}\n");
        }

        text.Append(markup.Bold("Next drill:")).Append(' ').Append(markup.Inert(feedback.NextDrill));
        return text.ToString();
    }

    private static void Section(StringBuilder text, ChatMarkup markup, string title, IEnumerable<string> lines)
    {
        var first = true;
        foreach (var line in lines)
        {
            if (first)
            {
                text.Append(markup.Bold(title)).Append('\n');
                first = false;
            }

            text.Append(line).Append('\n');
        }
    }

    /// <summary>A highlighted dimension as every surface words it: name, mean, round and the quote that shows it.</summary>
    public static string Highlight(DimensionHighlight highlight, ChatMarkup markup)
    {
        ArgumentNullException.ThrowIfNull(highlight);
        ArgumentNullException.ThrowIfNull(markup);
        var quote = highlight.Quote is { } q ? $" — “{markup.Inert(q)}”" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{markup.Inert(highlight.Dimension)} {highlight.Score:0.0}/4 ({highlight.Stage.Title().ToLowerInvariant()}){quote}");
    }

    /// <summary>
    /// The debrief's heading. With nothing found it says what was looked for, of the checks the rounds answered allow:
    /// "consistent" alone tells a candidate nothing.
    /// </summary>
    public static string DebriefTitle(Debrief debrief, IEnumerable<Stage> answered)
    {
        ArgumentNullException.ThrowIfNull(debrief);
        ArgumentNullException.ThrowIfNull(answered);
        if (!debrief.Consistent)
        {
            return "Debrief: the rounds read together";
        }

        var stages = answered.ToHashSet();
        var design = stages.Contains(Stage.Design);
        List<string> checks =
        [
            .. design && stages.Contains(Stage.Behavioral) ? ["claims your design answers do not back"] : Array.Empty<string>(),
            .. design && stages.Contains(Stage.Theory) ? ["trade-offs named in theory but not weighed in the design"] : Array.Empty<string>(),
            .. stages.Contains(Stage.QuestionsToAsk) ? ["questions to the interviewer that were already answered"] : Array.Empty<string>(),
        ];
        return checks.Count == 0
            ? "Debrief: reading your rounds side by side found nothing to flag."
            : $"Debrief: reading your rounds side by side found nothing to flag (it looked for {(checks.Count == 1 ? checks[0] : $"{string.Join(", ", checks[..^1])} and {checks[^1]}")}).";
    }

    /// <summary>The stages the scorecard counts an answer in.</summary>
    public static IEnumerable<Stage> AnsweredStages(Scorecard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card.Stages.Where(stage => stage.Answered > 0).Select(stage => stage.Stage);
    }

    /// <summary>Who read the rounds: the offline reader, or the prompt and version that did.</summary>
    public static string DebriefSource(FeedbackSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.JudgeKind switch
        {
            "llm" => $"(read by the {source.PromptName} prompt {source.PromptVersion})",
            "offline-fallback" => "(read offline from rubric evidence: the LLM's reading could not be used)",
            _ => "(read offline from rubric evidence)",
        };
    }

    /// <summary>The heading of a tailored interview's requirement lines: how many of the job's requirements the answers spoke to.</summary>
    public static string JobCoverageTitle(IReadOnlyList<RequirementCoverage> coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        return string.Create(CultureInfo.InvariantCulture, $"Your job description: your answers spoke to {coverage.Count(c => c.Covered)} of its {coverage.Count} requirements");
    }

    /// <summary>Whose words a side of a finding quotes.</summary>
    public static string Side(DebriefSide side)
    {
        ArgumentNullException.ThrowIfNull(side);
        return side.ByInterviewer ? $"Interviewer ({side.Stage.Title().ToLowerInvariant()} question)" : $"You ({side.Stage.Title().ToLowerInvariant()})";
    }

    private static string Scorecard(Scorecard card, ChatMarkup markup)
    {
        var text = new StringBuilder(markup.Title("Scorecard")).Append('\n');
        foreach (var stage in card.Stages)
        {
            var score = stage.Score is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0}/4") : "—";
            var counts = StageCounts(stage);
            var range = stage.Strongest is null || stage.Strongest == stage.Weakest ? string.Empty : $" · strongest {stage.Strongest}, weakest {stage.Weakest}";
            text.Append(CultureInfo.InvariantCulture, $"• {markup.Bold(stage.Stage.Title())} {score} ({counts}){range}\n");
        }

        var highlights = card.Highlights ?? [];
        for (var i = 0; i < highlights.Count; i++)
        {
            text.Append(markup.Bold(i == 0 ? "Strongest:" : "Weakest:")).Append(' ').Append(Highlight(highlights[i], markup)).Append('\n');
        }

        text.Append(markup.Bold("Overall:")).Append(' ').Append(card.Verdict()).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Hints used: {card.HintsUsed}");
        if (card.Judges.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" · judged by {string.Join(", ", card.Judges)}");
        }

        if (card.EndedEarly)
        {
            text.Append("\nEnded before every question was answered.");
        }

        if (card.Summary is { } summary)
        {
            text.Append("\n\n").Append(markup.Inert(summary));
        }

        if (card.Debrief is { } debrief)
        {
            text.Append("\n\n").Append(markup.Bold(DebriefTitle(debrief, AnsweredStages(card)))).Append(' ').Append(DebriefSource(debrief.Source));
            foreach (var finding in debrief.Findings)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n• {markup.Bold($"{finding.First.Stage.Title()} × {finding.Second.Stage.Title()}:")} {markup.Inert(finding.Note)}");
                text.Append(CultureInfo.InvariantCulture, $"\n    {Side(finding.First)}: “{markup.Inert(finding.First.Quote)}”");
                text.Append(CultureInfo.InvariantCulture, $"\n    {Side(finding.Second)}: “{markup.Inert(finding.Second.Quote)}”");
            }
        }

        if (card.JobCoverage is { Count: > 0 } coverage)
        {
            text.Append("\n\n").Append(markup.Bold(JobCoverageTitle(coverage)));
            foreach (var requirement in coverage)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n{(requirement.Covered ? "✓" : "✗ not yet:")} {markup.Inert(requirement.Requirement)}");
            }
        }

        for (var i = 0; i < card.NextDrills.Count; i++)
        {
            text.Append(i == 0 ? "\n" + markup.Bold("Next drills") : string.Empty).Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {markup.Inert(card.NextDrills[i])}");
        }

        return text.ToString();
    }
}
