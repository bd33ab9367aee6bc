using System.Globalization;
using Mockingbird.Chat;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.Wire;
using Mockingbird.StudyGroups;

namespace Mockingbird.Slack.Daily;

/// <summary>
/// A daily question as Slack shows it: the round's post (title, question, deadline in each reader's time zone, who
/// has answered and the Answer button while it is open, or that it was never run) and the answer modal. Only the bot's own words are mrkdwn;
/// the question is escaped so it cannot mention, and nobody is ever mentioned by a broadcast.
/// </summary>
internal static class SlackDailyRenderer
{
    /// <summary>Block Kit's text inputs hold 3,000 characters.</summary>
    public static readonly AnswerForm Form = AnswerForm.For(3000);

    private const int HeaderLimit = 150;

    private const int NotificationLimit = 150;

    public static SlackMessage RoundPost(RoundPost post, Func<DateTimeOffset, string> timeOf)
    {
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(timeOf);
        var blocks = new List<Block> { new("header", TextObject.Plain(SlackText.Shorten(post.Title, HeaderLimit))) };
        blocks.AddRange(Sections(SlackRenderer.Escape(post.Question)));
        var deadline = timeOf(post.Round.Deadline);
        var open = !post.Closed && post.NotRun is null;
        if (post.NotRun is { } notRun)
        {
            // A round that never ran has no deadline to keep and nobody's answers to count.
            blocks.AddRange(Sections(notRun));
        }
        else
        {
            blocks.AddRange(Sections(post.Closed
                ? $"*Closed* {deadline}. The answers are being judged; the reveal follows in the thread."
                : $"Open until {deadline}. Answers stay private until then: press *Answer* to answer, and again to revise yours. Discuss in the thread."));
            blocks.AddRange(Sections(Tally(post.Answerers)));
        }

        // Questions are short, but a message holds 50 blocks; the button must survive any trimming.
        var limit = SlackRenderer.MessageBlocks - (open ? 1 : 0);
        if (blocks.Count > limit)
        {
            blocks = blocks[..limit];
        }

        if (open)
        {
            blocks.Add(new Block("actions", Elements: [new BlockElement("button", TextObject.Plain("Answer"), SlackActions.DailyAnswer, post.Round.Id, "primary")]));
        }

        var text = post.NotRun is not null ? $"Not run: {post.Title}" : post.Closed ? $"Closed: {post.Title}" : post.Title;
        return new SlackMessage(SlackText.Shorten(SlackRenderer.Escape(text), NotificationLimit), blocks);
    }

    /// <summary>The answer form, holding the member's answer so far when they revise it.</summary>
    public static View AnswerModal(string roundId, string? question, string? draft)
    {
        var drafts = string.IsNullOrEmpty(draft) ? [] : ChatText.Split(draft, Form.Fields[0].MaxLength);
        var blocks = new List<Block>();
        if (question is not null)
        {
            blocks.Add(new Block("section", TextObject.Markdown(SlackText.Shorten(SlackRenderer.Escape(question), SlackRenderer.SectionLimit))));
        }

        blocks.AddRange(Form.Fields.Select((field, i) => new Block(
            "input",
            BlockId: field.Id,
            Label: TextObject.Plain(field.Label),
            Element: new BlockElement("plain_text_input", ActionId: field.Id, Multiline: true, MaxLength: field.MaxLength, InitialValue: i < drafts.Count ? drafts[i] : null),
            Optional: field.Required ? null : true)));
        return new View(
            "modal",
            TextObject.Plain(AnswerForm.Title),
            blocks,
            CallbackId: SlackActions.DailyAnswerModal,
            Submit: TextObject.Plain(AnswerForm.Submit),
            Close: TextObject.Plain(AnswerForm.Close),
            PrivateMetadata: roundId);
    }

    /// <summary>The modal's inputs in order, as one answer.</summary>
    public static string FormText(SubmittedView view) =>
        AnswerForm.Answer(Form.Fields.Select(field => view.State?.Values.GetValueOrDefault(field.Id)?.GetValueOrDefault(field.Id)?.Value));

    /// <summary>Who has answered, by name, never what: the round is blind until the reveal.</summary>
    private static string Tally(IReadOnlyList<string> answerers) => answerers.Count switch
    {
        0 => "_No answers yet._",
        1 => $"1 answer so far, from <@{SlackInterviewBot.UserOf(answerers[0])}>",
        var n => string.Create(CultureInfo.InvariantCulture, $"{n} answers so far, from {string.Join(", ", answerers.Select(a => $"<@{SlackInterviewBot.UserOf(a)}>"))}"),
    };

    private static IEnumerable<Block> Sections(string text) =>
        SlackText.Split(text).Select(part => new Block("section", TextObject.Markdown(part)));
}
