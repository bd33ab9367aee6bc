using System.Globalization;
using System.Text;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Discord.Rendering;

/// <summary>
/// Turns engine actions into Discord messages: markdown within Discord's limits, buttons where the candidate acts,
/// nothing that can ping anyone, and a nonce per message so a repeated delivery cannot post twice.
/// </summary>
internal static class DiscordRenderer
{
    /// <summary>Messages for a delivery, in order; consecutive short texts share a message to spare rate limits.</summary>
    public static IReadOnlyList<MessageCreate> Messages(IReadOnlyList<InterviewAction> actions, string deliveryKey)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var blocks = new List<(string Text, IReadOnlyList<Component>? Buttons)>();
        foreach (var action in actions)
        {
            if (Block(action) is not { } block)
            {
                continue;
            }

            var parts = DiscordText.Split(block.Text);
            for (var i = 0; i < parts.Count; i++)
            {
                var buttons = i == parts.Count - 1 ? block.Buttons : null;
                if (blocks.Count > 0 && blocks[^1].Buttons is null && blocks[^1].Text.Length + 2 + parts[i].Length <= DiscordText.MessageLimit)
                {
                    blocks[^1] = ($"{blocks[^1].Text}\n\n{parts[i]}", buttons);
                }
                else
                {
                    blocks.Add((parts[i], buttons));
                }
            }
        }

        return [.. blocks.Select((b, i) => new MessageCreate(
            Content: b.Text,
            AllowedMentions: AllowedMentions.None,
            Components: b.Buttons,
            Nonce: DiscordText.Nonce(deliveryKey, i),
            EnforceNonce: true))];
    }

    /// <summary>The same actions as one piece of text, for an ephemeral reply where no thread can take them.</summary>
    public static string Text(IReadOnlyList<InterviewAction> actions) =>
        string.Join("\n\n", actions.Select(Block).OfType<(string Text, IReadOnlyList<Component>? Buttons)>().Select(b => b.Text));

    public static string AnswerEcho(string answer) => $"**Your answer** (sent with the form):\n{DiscordText.Inert(answer)}";

    private static (string Text, IReadOnlyList<Component>? Buttons)? Block(InterviewAction action) => action switch
    {
        PostIntroduction intro => (Introduction(intro), null),
        PostQuestion question => (Question(question), QuestionButtons(question.Position)),
        PostHint hint => ($"💡 **Hint {hint.HintNumber}/{hint.HintsAllowed}:** {DiscordText.Inert(hint.Text)}", null),
        AcknowledgeAnswer ack => ($"✅ Answer recorded ({ack.Words} words). Feedback is on its way.", null),
        PostFeedback feedback => (Feedback(feedback), RatingButtons(feedback.TurnNumber)),
        PostScorecard scorecard => (Scorecard(scorecard.Scorecard), null),
        PostNotice notice => ($"» {DiscordText.Inert(notice.Text)}", null),
        _ => null,
    };

    private static string Introduction(PostIntroduction intro)
    {
        var text = new StringBuilder();
        var stages = string.Join(" · ", intro.Stages.Select(s => $"{s.Stage.Title()} {s.Questions}"));
        text.Append(CultureInfo.InvariantCulture, $"## Mock interview: {intro.Options.Plan.ToWire()}\n{stages}");
        text.Append(CultureInfo.InvariantCulture, $" · level {intro.Options.Level?.ToWire() ?? "any"} · track {intro.Options.Track?.ToWire() ?? "any"}\n");
        foreach (var note in intro.Notes)
        {
            text.Append(CultureInfo.InvariantCulture, $"-# {DiscordText.Inert(note)}\n");
        }

        text.Append("Answer each question by writing in this thread (one message per answer), or with **Answer in a form** for long answers. Judged feedback follows each answer.");
        return text.ToString();
    }

    private static string Question(PostQuestion question)
    {
        var what = question.FollowUpNumber is { } f
            ? $"Follow-up {f} on question {question.Number}"
            : $"Question {question.Number} of {question.Total}";
        var again = question.IsRepeat ? " (again)" : string.Empty;
        return $"### {what} · {question.Stage.Title()}{again}\n{DiscordText.Inert(question.Text)}";
    }

    private static string Feedback(PostFeedback posted)
    {
        var feedback = posted.Feedback;
        var heading = posted.FollowUpNumber is { } f ? $"follow-up {f} to question {posted.QuestionNumber}" : $"question {posted.QuestionNumber}";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Feedback on {heading} · {feedback.Total:0.0}/4\n-# {DiscordText.Inert(feedback.Label)}\n");
        foreach (var dimension in feedback.Dimensions)
        {
            text.Append(CultureInfo.InvariantCulture, $"- **{DiscordText.Inert(dimension.Name)}** {dimension.Score}/4 — {DiscordText.Inert(dimension.Rationale)}\n");
        }

        if (feedback.Covered.Count > 0)
        {
            text.Append("**Covered**\n");
            foreach (var point in feedback.Covered)
            {
                text.Append(CultureInfo.InvariantCulture, $"✓ {DiscordText.Inert(point.Point)} — “{DiscordText.Inert(point.Evidence)}”\n");
            }
        }

        if (feedback.Missed.Count > 0)
        {
            text.Append("**Missed**\n");
            foreach (var point in feedback.Missed)
            {
                text.Append(CultureInfo.InvariantCulture, $"✗ {DiscordText.Inert(point)}\n");
            }
        }

        if (feedback.Insights.Count > 0)
        {
            text.Append("**Delivery** (not scored)\n");
            foreach (var insight in feedback.Insights)
            {
                text.Append(CultureInfo.InvariantCulture, $"· {DiscordText.Inert(insight)}\n");
            }
        }

        foreach (var flag in feedback.Flags)
        {
            text.Append(CultureInfo.InvariantCulture, $"⚠️ {DiscordText.Inert(flag)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"**Next drill:** {DiscordText.Inert(feedback.NextDrill)}");
        return text.ToString();
    }

    private static string Scorecard(Scorecard card)
    {
        var text = new StringBuilder("## Scorecard\n");
        foreach (var stage in card.Stages)
        {
            var score = stage.Score is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0}/4") : "—";
            var counts = $"{stage.Answered} answered, {stage.Skipped} skipped{(stage.Unasked > 0 ? $", {stage.Unasked} not reached" : string.Empty)}";
            var range = stage.Strongest is null || stage.Strongest == stage.Weakest ? string.Empty : $" · strongest {stage.Strongest}, weakest {stage.Weakest}";
            text.Append(CultureInfo.InvariantCulture, $"- **{stage.Stage.Title()}** {score} ({counts}){range}\n");
        }

        text.Append(card.Overall is { } overall && card.Signal is { } signal
            ? string.Create(CultureInfo.InvariantCulture, $"**Overall: {overall:0.0}/4** · {signal.Describe()}\n")
            : "**Overall:** not enough answers to judge\n");
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
            text.Append(CultureInfo.InvariantCulture, $"\n\n{DiscordText.Inert(summary)}");
        }

        for (var i = 0; i < card.NextDrills.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "\n**Next drills**" : string.Empty)}\n{i + 1}. {DiscordText.Inert(card.NextDrills[i])}");
        }

        return text.ToString();
    }

    private static IReadOnlyList<Component> QuestionButtons(QuestionPosition on) =>
    [
        new(ComponentTypes.ActionRow, [
            Button(ButtonStyles.Primary, "Answer in a form", ComponentIds.AnswerForm(on)),
            Button(ButtonStyles.Secondary, "Hint", ComponentIds.Hint(on)),
            Button(ButtonStyles.Secondary, "Skip", ComponentIds.Skip(on)),
            Button(ButtonStyles.Danger, "End", ComponentIds.End),
        ]),
    ];

    private static IReadOnlyList<Component> RatingButtons(int turn) =>
    [
        new(ComponentTypes.ActionRow, [
            new Component(ComponentTypes.Button, Style: ButtonStyles.Secondary, CustomId: ComponentIds.Rate(turn, helpful: true), Emoji: new Emoji("👍")),
            new Component(ComponentTypes.Button, Style: ButtonStyles.Secondary, CustomId: ComponentIds.Rate(turn, helpful: false), Emoji: new Emoji("👎")),
        ]),
    ];

    private static Component Button(int style, string label, string customId) => new(ComponentTypes.Button, Style: style, Label: label, CustomId: customId);
}
