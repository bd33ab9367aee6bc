using Microsoft.Extensions.Logging;
using Mockingbird.Chat;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.Slack.Daily;

/// <summary>A reply for one person alone, in a channel.</summary>
internal sealed record SlackDailyReply(string Channel, string Text);

/// <summary>
/// The daily question's side of the Slack bot: <c>/mock daily …</c>, the round's Answer button and the answer modal.
/// Each returns what to tell the person, privately; the bot sends it.
/// </summary>
internal sealed partial class SlackDailyQuestions(DailyRounds rounds, DailyCommands commands, ISlackWebApi web, TimeProvider time, ILogger<SlackDailyQuestions> logger)
{
    public const string Word = "daily";

    /// <summary>Whether the command's text is a daily command (its first word is <c>daily</c>).</summary>
    public static bool IsDaily(string? text) =>
        (text ?? string.Empty).TrimStart().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries) is [var first, ..]
        && first.Equals(Word, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The words after <c>daily</c>, as typed. They stay escaped as Slack sent them: a channel arrives as
    /// <c>&lt;#C…|name&gt;</c> (the command escapes), and that token is what names it.
    /// </summary>
    public static DailyCommand Parse(string? text)
    {
        var words = (text ?? string.Empty).TrimStart();
        return DailyCommand.ParseText(words.Length > Word.Length ? words[Word.Length..] : string.Empty);
    }

    /// <summary>A daily command: the channel it was run in is the study group's unless it names another.</summary>
    public async Task<string> CommandAsync(SlashCommand command, string commandName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.TeamId is not { Length: > 0 } team)
        {
            return "Slack did not say which workspace this came from, so nothing was changed. Try again.";
        }

        var here = new StudyChannel(SlackStudyGroups.PlatformName, team, command.ChannelId);
        return await commands.CommandAsync(Request(here, command.UserId), Parse(command.Text), commandName, cancellationToken);
    }

    /// <summary>
    /// The Answer button: opens the modal, holding the member's answer so far, or says why not (the round closed).
    /// Slack lets the click's trigger id open a modal for 3 seconds only, so nothing comes before <c>views.open</c>
    /// but one read of the round and the answer from the store, bounded by <see cref="FormReads.Budget"/> (the modal
    /// opens empty past it); whether the member is in the channel is checked when the answer is sent, where reading
    /// the channel's members may take as long as it takes.
    /// </summary>
    /// <returns>What to tell the member, or <c>null</c> when the modal opened.</returns>
    public async Task<string?> AnswerButtonAsync(string triggerId, string roundId, string userId, CancellationToken cancellationToken)
    {
        var (opening, failure) = await FormReads.WithinBudgetAsync(token => rounds.OpenFormAsync(roundId, SlackInterviewBot.CandidateOf(userId), token), time, cancellationToken);
        if (failure is not null)
        {
            Log.FormUnread(logger, failure.GetType().Name);
        }

        if (opening?.Refusal is { } refusal)
        {
            return refusal;
        }

        await web.OpenViewAsync(new OpenView(triggerId, SlackDailyRenderer.AnswerModal(roundId, opening?.Question, opening?.Draft)), cancellationToken);
        return null;
    }

    /// <summary>
    /// The modal sent. The modal closes at once (the envelope is acknowledged with nothing) and the outcome comes as
    /// a message only the member sees in the channel: saving the answer, updating the post and reading the channel's
    /// members may take longer than the 3 seconds Slack gives a <c>response_action</c>, and a late one would show the
    /// member an error for an answer that was in fact kept. An answer not taken comes back in full in that message.
    /// </summary>
    /// <returns>The reply, or <c>null</c> when the modal does not say which round it answers.</returns>
    public async Task<SlackDailyReply?> SubmitAsync(string userId, SubmittedView view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        var text = SlackDailyRenderer.FormText(view);
        if (ChannelOfRound(view.PrivateMetadata) is not { } channel)
        {
            Log.ModalWithoutRound(logger);
            return null;
        }

        try
        {
            var reply = await rounds.AnswerAsync(Request(channel, userId), view.PrivateMetadata!, text, Quote, cancellationToken);
            return new SlackDailyReply(channel.Channel, reply);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.AnswerFailed(logger, ex.GetType().Name, (ex as SlackApiException)?.Error ?? string.Empty);
            return new SlackDailyReply(channel.Channel, $"Something went wrong on our side, so your answer may not have been recorded. Press Answer again to check; here it is, so nothing you typed is lost:\n{Quote(text)}");
        }
    }

    /// <summary>
    /// The channel a round belongs to, read from its id (<see cref="StudyGroups.Rounds.DailyRound.IdOf"/>: the channel's key,
    /// then the slot), so a reply can go there without a lookup.
    /// </summary>
    public static StudyChannel? ChannelOfRound(string? roundId) =>
        roundId?.Split(':', 4) is [var platform, var space, var channel, { Length: > 0 }] && platform == SlackStudyGroups.PlatformName
            ? StudyChannel.Parse($"{platform}:{space}:{channel}")
            : null;

    /// <summary>An answer handed back: inert, in a block so it reads as written.</summary>
    public static string Quote(string text) =>
        $"```\n{SlackRenderer.Escape(text.Replace("```", "ʼʼʼ", StringComparison.Ordinal))}\n```";

    /// <summary>A member is named as interviews name candidates, so forget-me reaches their study-group data too.</summary>
    private DailyRequest Request(StudyChannel here, string userId) => new(here, SlackInterviewBot.CandidateOf(userId), new SlackDailyAccess(web, userId, logger));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A daily answer modal came back naming no round; its author could not be told")]
        public static partial void ModalWithoutRound(ILogger logger);

        [LoggerMessage(2, LogLevel.Error, "A daily answer failed with {ErrorType} {SlackError}; the text was handed back")]
        public static partial void AnswerFailed(ILogger logger, string errorType, string slackError);

        [LoggerMessage(3, LogLevel.Warning, "A daily answer modal opened empty: the member's answer so far could not be read in time ({ErrorType})")]
        public static partial void FormUnread(ILogger logger, string errorType);
    }
}
