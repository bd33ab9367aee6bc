using System.Globalization;
using System.Text;
using Mockingbird.Interview.Chat;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;
using Mockingbird.Slack.Wire;

namespace Mockingbird.Slack.Rendering;

/// <summary>A Slack message as the bot posts it: notification text and Block Kit blocks.</summary>
internal sealed record SlackMessage(string Text, IReadOnlyList<Block> Blocks);

/// <summary>
/// Turns engine actions into Slack messages: mrkdwn sections within Block Kit's limits, buttons where the candidate
/// acts, and text that cannot mention anyone (Slack's mentions need <c>&lt;…&gt;</c>, which is escaped).
/// </summary>
internal static class SlackRenderer
{
    /// <summary>Characters in one section's text.</summary>
    public const int SectionLimit = 3000;

    /// <summary>Blocks in one message; a longer delivery becomes several messages.</summary>
    public const int MessageBlocks = 50;

    /// <summary>The notification text (what a phone shows) is kept short: the blocks carry the content.</summary>
    private const int NotificationLimit = 150;

    public static IReadOnlyList<SlackMessage> Messages(IReadOnlyList<InterviewAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var messages = new List<SlackMessage>();
        var blocks = new List<Block>();
        foreach (var action in actions)
        {
            if (Block(action) is not { } block)
            {
                continue;
            }

            var sections = ChatText.Split(block.Text, SectionLimit).Select(text => new Block("section", TextObject.Markdown(text))).ToList();
            var needed = sections.Count + (block.Buttons is null ? 0 : 1);
            if (blocks.Count > 0 && blocks.Count + needed > MessageBlocks)
            {
                messages.Add(Message(blocks));
                blocks = [];
            }

            blocks.AddRange(sections);
            if (block.Buttons is not null)
            {
                blocks.Add(new Block("actions", Elements: block.Buttons));

                // Buttons end a message, so they sit under the text they belong to.
                messages.Add(Message(blocks));
                blocks = [];
            }
        }

        if (blocks.Count > 0)
        {
            messages.Add(Message(blocks));
        }

        return messages;
    }

    /// <summary>The same actions as mrkdwn text, for an ephemeral reply where no thread can take them.</summary>
    public static string Text(IReadOnlyList<InterviewAction> actions) =>
        string.Join("\n\n", actions.Select(Block).OfType<(string Text, IReadOnlyList<BlockElement>? Buttons)>().Select(b => b.Text));

    public static string AnswerEcho(string answer) => $"*Your answer* (sent with the form):\n{Escape(answer)}";

    /// <summary>
    /// Text the bot did not write, made inert: Slack reads <c>&lt;@U…&gt;</c>, <c>&lt;!here&gt;</c> and links only
    /// inside angle brackets, so escaping <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> (as Slack documents) leaves none.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    private static SlackMessage Message(List<Block> blocks)
    {
        var first = blocks[0].Text?.Text ?? "Mock interview";
        var line = first.Split('\n', 2)[0].Replace("*", string.Empty, StringComparison.Ordinal);
        return new SlackMessage(line.Length <= NotificationLimit ? line : string.Concat(line.AsSpan(0, NotificationLimit - 1), "…"), [.. blocks]);
    }

    private static (string Text, IReadOnlyList<BlockElement>? Buttons)? Block(InterviewAction action) => action switch
    {
        PostIntroduction intro => (Introduction(intro), null),
        PostQuestion question => (Question(question), QuestionButtons(question.Position)),
        PostHint hint => ($":bulb: *Hint {hint.HintNumber}/{hint.HintsAllowed}:* {Escape(hint.Text)}", null),
        AcknowledgeAnswer ack => ($":white_check_mark: Answer recorded ({ack.Words} words). Feedback is on its way.", null),
        PostFeedback feedback => (Feedback(feedback), RatingButtons(feedback.TurnNumber)),
        PostScorecard scorecard => (Scorecard(scorecard.Scorecard), null),
        PostNotice notice => ($"» {Escape(notice.Text)}", null),
        _ => null,
    };

    private static string Introduction(PostIntroduction intro)
    {
        var text = new StringBuilder();
        var stages = string.Join(" · ", intro.Stages.Select(s => $"{s.Stage.Title()} {s.Questions}"));
        text.Append(CultureInfo.InvariantCulture, $"*Mock interview: {intro.Options.Plan.ToWire()}*\n{stages}");
        text.Append(CultureInfo.InvariantCulture, $" · level {intro.Options.Level?.ToWire() ?? "any"} · track {intro.Options.Track?.ToWire() ?? "any"}\n");
        foreach (var note in intro.Notes)
        {
            text.Append(CultureInfo.InvariantCulture, $"_{Escape(note)}_\n");
        }

        text.Append("Answer each question by replying in this thread (one message per answer), or with *Answer in a form* for long answers. Judged feedback follows each answer.");
        return text.ToString();
    }

    private static string Question(PostQuestion question)
    {
        var what = question.FollowUpNumber is { } f
            ? $"Follow-up {f} on question {question.Number}"
            : $"Question {question.Number} of {question.Total}";
        var again = question.IsRepeat ? " (again)" : string.Empty;
        return $"*{what} · {question.Stage.Title()}{again}*\n{Escape(question.Text)}";
    }

    private static string Feedback(PostFeedback posted)
    {
        var feedback = posted.Feedback;
        var heading = posted.FollowUpNumber is { } f ? $"follow-up {f} to question {posted.QuestionNumber}" : $"question {posted.QuestionNumber}";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"*Feedback on {heading} · {feedback.Total:0.0}/4*\n_{Escape(feedback.Label)}_\n");
        foreach (var dimension in feedback.Dimensions)
        {
            text.Append(CultureInfo.InvariantCulture, $"• *{Escape(dimension.Name)}* {dimension.Score}/4 — {Escape(dimension.Rationale)}\n");
        }

        if (feedback.Covered.Count > 0)
        {
            text.Append("*Covered*\n");
            foreach (var point in feedback.Covered)
            {
                text.Append(CultureInfo.InvariantCulture, $":heavy_check_mark: {Escape(point.Point)} — “{Escape(point.Evidence)}”\n");
            }
        }

        if (feedback.Missed.Count > 0)
        {
            text.Append("*Missed*\n");
            foreach (var point in feedback.Missed)
            {
                text.Append(CultureInfo.InvariantCulture, $":x: {Escape(point)}\n");
            }
        }

        if (feedback.Insights.Count > 0)
        {
            text.Append("*Delivery* (not scored)\n");
            foreach (var insight in feedback.Insights)
            {
                text.Append(CultureInfo.InvariantCulture, $"· {Escape(insight)}\n");
            }
        }

        foreach (var flag in feedback.Flags)
        {
            text.Append(CultureInfo.InvariantCulture, $":warning: {Escape(flag)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"*Next drill:* {Escape(feedback.NextDrill)}");
        return text.ToString();
    }

    private static string Scorecard(Scorecard card)
    {
        var text = new StringBuilder("*Scorecard*\n");
        foreach (var stage in card.Stages)
        {
            var score = stage.Score is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0}/4") : "—";
            var counts = $"{stage.Answered} answered, {stage.Skipped} skipped{(stage.Unasked > 0 ? $", {stage.Unasked} not reached" : string.Empty)}";
            var range = stage.Strongest is null || stage.Strongest == stage.Weakest ? string.Empty : $" · strongest {stage.Strongest}, weakest {stage.Weakest}";
            text.Append(CultureInfo.InvariantCulture, $"• *{stage.Stage.Title()}* {score} ({counts}){range}\n");
        }

        text.Append(card.Overall is { } overall && card.Signal is { } signal
            ? string.Create(CultureInfo.InvariantCulture, $"*Overall: {overall:0.0}/4* · {signal.Describe()}\n")
            : "*Overall:* not enough answers to judge\n");
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
            text.Append(CultureInfo.InvariantCulture, $"\n\n{Escape(summary)}");
        }

        for (var i = 0; i < card.NextDrills.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "\n*Next drills*" : string.Empty)}\n{i + 1}. {Escape(card.NextDrills[i])}");
        }

        return text.ToString();
    }

    private static List<BlockElement> QuestionButtons(QuestionPosition on) =>
    [
        Button("Answer in a form", SlackActions.AnswerForm, SlackActions.ValueOf(on), "primary"),
        Button("Hint", SlackActions.Hint, SlackActions.ValueOf(on)),
        Button("Skip", SlackActions.Skip, SlackActions.ValueOf(on)),
        Button("End", SlackActions.End, "end", "danger"),
    ];

    private static List<BlockElement> RatingButtons(int turn) =>
    [
        Button(":+1: Helpful", SlackActions.RateUp, turn.ToString(CultureInfo.InvariantCulture)),
        Button(":-1: Not helpful", SlackActions.RateDown, turn.ToString(CultureInfo.InvariantCulture)),
    ];

    private static BlockElement Button(string label, string actionId, string value, string? style = null) =>
        new("button", TextObject.Plain(label), actionId, value, style);
}
