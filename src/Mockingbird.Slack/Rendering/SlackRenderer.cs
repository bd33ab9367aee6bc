using Mockingbird.Chat;
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

            var sections = SlackText.Split(block.Text).Select(text => new Block("section", TextObject.Markdown(text))).ToList();
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
    public static string Text(IReadOnlyList<InterviewAction> actions) => ChatRenderer.TextOf(actions, SlackMarkup.Instance);

    /// <summary>
    /// A form answer shown in the thread, as few messages as Block Kit allows (one for any answer the form takes), so
    /// nothing can land between its parts.
    /// </summary>
    public static IReadOnlyList<SlackMessage> AnswerEchoMessages(string answer) =>
        [.. SlackText.Split(ChatRenderer.AnswerEcho(answer, SlackMarkup.Instance))
            .Select(part => new Block("section", TextObject.Markdown(part)))
            .Chunk(MessageBlocks)
            .Select(sections => new SlackMessage("Your answer", sections))];

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
        return new SlackMessage(SlackText.Shorten(line, NotificationLimit), [.. blocks]);
    }

    private static (string Text, IReadOnlyList<BlockElement>? Buttons)? Block(InterviewAction action) =>
        ChatRenderer.TextOf(action, SlackMarkup.Instance) is not { } text ? null
        : (text, ChatButton.For(action) is { } buttons ? [.. buttons.Select(Button)] : null);

    private static BlockElement Button(ChatButton button) => new(
        "button",
        TextObject.Plain(button.Kind switch
        {
            ChatButtonKind.RateUp => $":+1: {button.Label}",
            ChatButtonKind.RateDown => $":-1: {button.Label}",
            _ => button.Label,
        }),
        SlackActions.Of(button.Kind),
        button.Value,
        button.Style switch
        {
            ChatButtonStyle.Primary => "primary",
            ChatButtonStyle.Danger => "danger",
            _ => null,
        });
}

/// <summary>Slack's mrkdwn: bold for headings (it has no others), italics for notes, and text escaped so it cannot mention.</summary>
internal sealed class SlackMarkup : ChatMarkup
{
    public static readonly SlackMarkup Instance = new();

    public override string Title(string text) => $"*{text}*";

    public override string Heading(string text) => $"*{text}*";

    public override string Note(string text) => $"_{text}_";

    public override string Bold(string text) => $"*{text}*";

    public override string Inert(string text) => SlackRenderer.Escape(text);
}
