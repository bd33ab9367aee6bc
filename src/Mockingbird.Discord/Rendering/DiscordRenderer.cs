using Mockingbird.Chat;
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

    /// <summary>A form answer shown in the thread, split at Discord's limit, each part under its own nonce.</summary>
    public static IReadOnlyList<MessageCreate> AnswerEchoMessages(string answer, string deliveryKey) =>
        [.. DiscordText.Split(ChatRenderer.AnswerEcho(answer, DiscordMarkup.Instance)).Select((part, i) => new MessageCreate(
            Content: part,
            AllowedMentions: AllowedMentions.None,
            Nonce: DiscordText.Nonce(deliveryKey, i),
            EnforceNonce: true))];

    private static (string Text, IReadOnlyList<Component>? Buttons)? Block(InterviewAction action) =>
        ChatRenderer.TextOf(action, DiscordMarkup.Instance) is not { } text ? null
        : (text, ChatButton.For(action) is { } buttons ? [new Component(ComponentTypes.ActionRow, [.. buttons.Select(Button)])] : null);

    /// <summary>Rating buttons show only their emoji; the others their label.</summary>
    private static Component Button(ChatButton button) => button.Kind switch
    {
        ChatButtonKind.RateUp or ChatButtonKind.RateDown =>
            new(ComponentTypes.Button, Style: ButtonStyles.Secondary, CustomId: ComponentIds.Of(button), Emoji: new Emoji(button.Kind == ChatButtonKind.RateUp ? "👍" : "👎")),
        _ => new(ComponentTypes.Button, Style: StyleOf(button.Style), Label: button.Label, CustomId: ComponentIds.Of(button)),
    };

    private static int StyleOf(ChatButtonStyle style) => style switch
    {
        ChatButtonStyle.Primary => ButtonStyles.Primary,
        ChatButtonStyle.Danger => ButtonStyles.Danger,
        _ => ButtonStyles.Secondary,
    };
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
