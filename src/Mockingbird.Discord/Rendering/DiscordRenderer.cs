using Mockingbird.Chat;
using Mockingbird.Chat.Ratings;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Wire;
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
    public static string Text(IReadOnlyList<InterviewAction> actions) => ChatRenderer.TextOf(actions, DiscordMarkup.Instance);

    public static string AnswerEcho(string answer) => ChatRenderer.AnswerEcho(answer, DiscordMarkup.Instance);

    private static (string Text, IReadOnlyList<Component>? Buttons)? Block(InterviewAction action) =>
        ChatRenderer.TextOf(action, DiscordMarkup.Instance) is not { } text ? null : action switch
        {
            PostQuestion question => (text, QuestionButtons(question.Position, question.NextHint)),
            PostHint { On: { } on, AnotherHintAvailable: true } hint => (text, AnotherHintButton(on, hint.HintNumber + 1)),
            PostFeedback feedback => (text, RatingButtons(FeedbackArm.Of(feedback.Feedback.Source))),
            _ => (text, null),
        };

    private static IReadOnlyList<Component> QuestionButtons(QuestionPosition on, int hintNumber) =>
    [
        new(ComponentTypes.ActionRow, [
            Button(ButtonStyles.Primary, "Answer in a form", ComponentIds.AnswerForm(on)),
            Button(ButtonStyles.Secondary, "Hint", ComponentIds.Hint(on, hintNumber)),
            Button(ButtonStyles.Secondary, "Skip", ComponentIds.Skip(on)),
            Button(ButtonStyles.Danger, "End", ComponentIds.End),
        ]),
    ];

    /// <summary>The question's own hint button keeps asking for the hint now shown, so the next one is asked for here.</summary>
    private static IReadOnlyList<Component> AnotherHintButton(QuestionPosition on, int hintNumber) =>
        [new(ComponentTypes.ActionRow, [Button(ButtonStyles.Secondary, "Another hint", ComponentIds.Hint(on, hintNumber))])];

    private static IReadOnlyList<Component> RatingButtons(string arm) =>
    [
        new(ComponentTypes.ActionRow, [
            new Component(ComponentTypes.Button, Style: ButtonStyles.Secondary, CustomId: ComponentIds.Rate(arm, helpful: true), Emoji: new Emoji("👍")),
            new Component(ComponentTypes.Button, Style: ButtonStyles.Secondary, CustomId: ComponentIds.Rate(arm, helpful: false), Emoji: new Emoji("👎")),
        ]),
    ];

    private static Component Button(int style, string label, string customId) => new(ComponentTypes.Button, Style: style, Label: label, CustomId: customId);
}

/// <summary>Discord's markdown: headings, small text under them, and mentions broken so they cannot ping.</summary>
internal sealed class DiscordMarkup : ChatMarkup
{
    public static readonly DiscordMarkup Instance = new();

    public override string Title(string text) => $"## {text}";

    public override string Heading(string text) => $"### {text}";

    public override string Note(string text) => $"-# {text}";

    public override string Bold(string text) => $"**{text}**";

    public override string Inert(string text) => DiscordText.Inert(text);
}
