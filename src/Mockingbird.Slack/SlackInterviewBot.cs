using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Chat;
using Mockingbird.Drills;
using Mockingbird.Interview.Planning;
using Mockingbird.Slack.Daily;
using Mockingbird.Slack.Drills;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.SocketMode;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;
using Mockingbird.StudyGroups;

namespace Mockingbird.Slack;

/// <summary>
/// The edge between Slack and the interview: slash commands, button clicks, the long-answer form and thread replies
/// become chat requests, and the replies go back as ephemeral messages only the candidate sees. A thread reply is
/// recorded before its envelope is acknowledged (by Socket Mode or the HTTP endpoint); everything else is acknowledged
/// at once and handled afterwards. Judged feedback arrives later from the judging queue.
/// </summary>
internal sealed partial class SlackInterviewBot(
    ChatInterviews chat,
    ISlackWebApi web,
    SlackInterviewOutput output,
    SlackDailyQuestions daily,
    SlackBotIdentity identity,
    IOptions<SlackOptions> options,
    ILogger<SlackInterviewBot> logger,
    TimeProvider time,
    DrillAnswers? drills = null,
    IDisputeCommands? disputes = null) : ISlackEnvelopeHandler
{
    private readonly SlackOptions _options = options.Value;

    /// <summary>
    /// A Slack user is one candidate wherever they act: commands, events and clicks name the workspace in different
    /// fields (and differently in shared channels), so the user id alone, unique across Slack, is what counts.
    /// </summary>
    public static string CandidateOf(string userId) => $"slack:{userId}";

    /// <summary>The Slack user a candidate (or study-group member) id names.</summary>
    public static string UserOf(string candidateId) =>
        candidateId.StartsWith("slack:", StringComparison.Ordinal) ? candidateId["slack:".Length..] : candidateId;

    /// <summary>
    /// How long recording a thread reply may take before the envelope goes unacknowledged: Slack wants an answer
    /// within 3 seconds, and one left unanswered comes again, where a late "received" would lose it.
    /// </summary>
    public static readonly TimeSpan RecordDeadline = TimeSpan.FromSeconds(2);

    /// <summary>Slack delivers an unacknowledged event this many times more, then gives up.</summary>
    private const int SlackRetries = 3;

    public async Task<SlackReceipt> ReceiveAsync(SlackEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        try
        {
            switch (envelope.Type)
            {
                case "slash_commands":
                    return envelope.Payload.Deserialize(SlackJson.Default.SlashCommand) is { UserId.Length: > 0, ChannelId.Length: > 0 } command
                        ? SlackReceipt.Accepted(token => CommandAsync(command, token))
                        : SlackReceipt.Malformed;
                case "events_api":
                    if (envelope.Payload.Deserialize(SlackJson.Default.EventCallback) is not { } callback)
                    {
                        return SlackReceipt.Malformed;
                    }

                    if (callback.Type != "event_callback")
                    {
                        return SlackReceipt.Nothing;
                    }

                    if (callback.Event is not { ValueKind: JsonValueKind.Object } raw)
                    {
                        return SlackReceipt.Malformed;
                    }

                    // Read as a message only once it is one: other events (channel_created, user_change) carry objects
                    // where a message has ids, and are no concern of ours, not malformed.
                    if (!raw.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || !type.ValueEquals("message"))
                    {
                        return SlackReceipt.Nothing;
                    }

                    return raw.Deserialize(SlackJson.Default.MessageEvent) is { Type: "message" } message
                        ? await MessageAsync(callback, message, envelope.RetryAttempt, cancellationToken)
                        : SlackReceipt.Nothing;
                case "interactive":
                    return envelope.Payload.Deserialize(SlackJson.Default.InteractivePayload) is { Type: not null } interaction
                        ? SlackReceipt.Accepted(token => InteractionAsync(interaction, token))
                        : SlackReceipt.Malformed;
                default:
                    return SlackReceipt.Nothing;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            // Signed (or from the socket) but not a shape Slack sends: nothing to do, and a retry would not help.
            return SlackReceipt.Malformed;
        }
    }

    private async Task CommandAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        if (!string.Equals(command.Command, _options.Command, StringComparison.OrdinalIgnoreCase))
        {
            // Another of the app's commands reached this URL: it is not an interview command in disguise.
            await ReplyAsync(command.ChannelId, command.UserId, threadTs: null, $"I only answer {_options.Command}. {ChatCommand.Usage(_options.Command)}", cancellationToken);
            return;
        }

        if (SlackDailyQuestions.IsDaily(command.Text))
        {
            var answer = await ReplyingOnFailureAsync(() => daily.CommandAsync(command, _options.Command, cancellationToken), DailyApology);
            await ReplyAsync(command.ChannelId, command.UserId, threadTs: null, answer, cancellationToken);
            return;
        }

        var request = Request(command.UserId, command.TriggerId ?? $"{command.UserId}:{command.Text}") with
        {
            AdminCheck = new SlackAdminCheck(web, command.UserId, command.TeamId),
            Place = SlackAdminCheck.PlaceOf(command.TeamId),
        };
        var surface = Surface(request, command.ChannelId, command.UserId);
        var parsed = ChatCommand.ParseText(SlackText.Plain(command.Text ?? string.Empty));
        if (parsed is ChatCommand.AskForJob ask && command.TriggerId is { } trigger)
        {
            // The trigger id lives for 3 seconds: the form opens before anything else.
            var failed = await ReplyingOnFailureAsync<string?>(async () =>
            {
                await web.OpenViewAsync(new OpenView(trigger, JobModal($"{command.ChannelId}|{ChatCommand.StartWords(ask.Options)}")), cancellationToken);
                return null;
            });
            if (failed is not null)
            {
                await ReplyAsync(command.ChannelId, command.UserId, threadTs: null, failed, cancellationToken);
            }

            return;
        }

        if (parsed is ChatCommand.Disputes { Action: DisputeAction.Vote } && disputes is not null)
        {
            var shown = await ReplyingOnFailureAsync<string?>(() => BallotAsync(command.ChannelId, command.UserId, request.Place, cancellationToken));
            if (shown is not null)
            {
                await ReplyAsync(command.ChannelId, command.UserId, threadTs: null, shown, cancellationToken);
            }

            return;
        }

        var reply = await ReplyingOnFailureAsync(() => chat.CommandAsync(request, parsed, surface, _options.Command, cancellationToken));
        if (parsed is ChatCommand.Help)
        {
            reply = $"{reply}\n\n*Daily questions for study groups*\n{DailyCommand.Usage(_options.Command)}";
        }

        await ReplyAsync(command.ChannelId, command.UserId, threadTs: null, reply, cancellationToken);
    }

    /// <summary>
    /// A reply in a thread is an answer when it is the candidate's own interview thread (everything else is ignored):
    /// it is recorded before Slack hears it arrived, and when it cannot be, Slack is left to deliver it again.
    /// </summary>
    private async Task<SlackReceipt> MessageAsync(EventCallback callback, MessageEvent message, int? retryAttempt, CancellationToken cancellationToken)
    {
        if (message.User is not { } user || message.BotId is not null || message.Subtype is not (null or "file_share" or "thread_broadcast")
            || message.ThreadTs is not { } threadTs || message.Channel is not { } channel || message.ThreadTs == message.Ts)
        {
            return SlackReceipt.Nothing;
        }

        var request = Request(user, callback.EventId ?? $"{channel}:{message.Ts}");
        var thread = new SlackThread(channel, threadTs).ToString();
        var onlyFiles = message.Subtype == "file_share" && string.IsNullOrWhiteSpace(message.Text);
        var received = await chat.ReceiveMessageAsync(request, thread, SlackText.Plain(message.Text ?? string.Empty), onlyFiles, RecordDeadline, cancellationToken);
        var surface = Surface(request, channel, user, message.Ts);

        // The candidate hears of a failed save once when it happens, and once more if Slack's last try fails too.
        var notice = (retryAttempt ?? 0) switch
        {
            0 => ChatInterviews.NotSavedRetrying,
            >= SlackRetries => ChatInterviews.NotSavedSendAgain,
            _ => null,
        };
        async Task RespondAsync(CancellationToken token)
        {
            var settled = await chat.RespondAsync(request, thread, received, surface, notice, token);

            // Whose thread it is could not be told; one the bot started is most likely an interview, so its author
            // hears, privately and without a mark on the message, in case it was their answer.
            if (settled.Outcome == ThreadMessageOutcome.NotChecked && notice is not null && identity.UserId is { } bot && message.ParentUserId == bot)
            {
                await ReplyAsync(channel, user, threadTs, $"If this was an answer in your mock interview: {char.ToLowerInvariant(notice[0])}{notice[1..]}", token);
            }
        }

        return received.Outcome is ThreadMessageOutcome.NotRecorded or ThreadMessageOutcome.NotChecked
            ? SlackReceipt.NotRecorded(RespondAsync)
            : SlackReceipt.Accepted(RespondAsync);
    }

    private async Task InteractionAsync(InteractivePayload interaction, CancellationToken cancellationToken)
    {
        if (interaction.User is not { } user)
        {
            return;
        }

        switch (interaction.Type)
        {
            case "block_actions" when interaction.Actions is [{ ActionId: SlackActions.DailyAnswer, Value: { } roundId }, ..] && interaction.Container is { ChannelId: { } postedIn }:
                if (interaction.TriggerId is { } trigger
                    && await ReplyingOnFailureAsync(() => daily.AnswerButtonAsync(trigger, roundId, user.Id, cancellationToken), DailyApology) is { } notice)
                {
                    // In the channel, not the round's thread: it is for the member alone, and the thread is the discussion.
                    await ReplyAsync(postedIn, user.Id, threadTs: null, notice, cancellationToken);
                }

                break;
            case "block_actions" when interaction.Actions is [{ ActionId: SlackActions.DrillAnswer, Value: var drillButton }, ..] && interaction.Container is { ChannelId: { } drillChannel }:
                await DrillButtonAsync(interaction.TriggerId, drillButton, drillChannel, user.Id, cancellationToken);
                break;
            case "block_actions" when interaction.Actions is [var action, ..] && interaction.Container is { ChannelId: { } channel } container:
                var thread = new SlackThread(channel, container.ThreadTs ?? container.MessageTs ?? string.Empty).ToString();
                var request = Request(user.Id, interaction.TriggerId ?? $"{user.Id}:{action.ActionId}:{container.MessageTs}") with { Place = SlackAdminCheck.PlaceOf(interaction.Team?.Id) };
                var reply = await ReplyingOnFailureAsync(() => ButtonAsync(request, action, thread, interaction.TriggerId, new SlackThread(channel, container.MessageTs ?? string.Empty), user.Id, cancellationToken));
                if (reply is not null)
                {
                    await ReplyAsync(channel, user.Id, container.ThreadTs ?? container.MessageTs, reply, cancellationToken);
                }

                break;
            case "view_submission" when interaction.View is { CallbackId: SlackActions.AnswerModal } view:
                await FormAsync(interaction, user, view, cancellationToken);
                break;
            case "view_submission" when interaction.View is { CallbackId: SlackActions.DisagreeModal } disagreeView && disputes is not null:
                await DisagreeFormAsync(interaction, user, disagreeView, cancellationToken);
                break;
            case "view_submission" when interaction.View is { CallbackId: SlackActions.JobModal } jobView:
                await JobFormAsync(interaction, user, jobView, cancellationToken);
                break;
            case "view_submission" when interaction.View is { CallbackId: SlackActions.DailyAnswerModal } dailyView:
                if (await daily.SubmitAsync(user.Id, dailyView, cancellationToken) is { } dailyReply)
                {
                    await ReplyAsync(dailyReply.Channel, user.Id, threadTs: null, dailyReply.Text, cancellationToken);
                }

                break;
            case "view_submission" when interaction.View is { CallbackId: SlackActions.DrillAnswerModal } drillView:
                await DrillFormAsync(drillView, user.Id, cancellationToken);
                break;
        }
    }

    /// <summary>A drill's Answer button opens its form for the candidate it was sent to, and for nobody else.</summary>
    private async Task DrillButtonAsync(string? triggerId, string? value, string channel, string userId, CancellationToken cancellationToken)
    {
        if (!SlackDrills.TryParseButton(value, out var owner, out var drillId) || owner != userId)
        {
            await ReplyAsync(channel, userId, threadTs: null, DrillAnswers.NotYours, cancellationToken);
            return;
        }

        if (triggerId is not null)
        {
            await ReplyingOnFailureAsync<object?>(async () =>
            {
                await web.OpenViewAsync(new OpenView(triggerId, DrillModal($"{channel}|{owner}|{drillId}")), cancellationToken);
                return null;
            });
        }
    }

    /// <summary>A drill answer sent with its form: taken for judging, or refused with the text handed back.</summary>
    private async Task DrillFormAsync(SubmittedView view, string userId, CancellationToken cancellationToken)
    {
        if (view.PrivateMetadata?.Split('|', 3) is not [{ Length: > 0 } channel, var owner, { Length: > 0 } drillId])
        {
            Log.FormWithoutPlace(logger);
            return;
        }

        var reply = drills is null
            ? DrillCommands.NotAvailable
            : await ReplyingOnFailureAsync(() => drills.SubmitAsync(CandidateOf(userId), CandidateOf(owner), drillId, FormText(view), SlackDailyQuestions.Quote, cancellationToken));
        await ReplyAsync(channel, userId, threadTs: null, reply, cancellationToken);
    }

    /// <summary>
    /// An answer sent with the form. A form that does not say which thread and question it was opened on (damaged,
    /// or from another version) is refused like a stale one, and its text handed back.
    /// </summary>
    private async Task FormAsync(InteractivePayload interaction, SlackUser user, SubmittedView view, CancellationToken cancellationToken)
    {
        var text = FormText(view);
        var formRequest = Request(user.Id, interaction.TriggerId ?? $"{user.Id}:{view.Id}");
        if (view.PrivateMetadata?.Split('|') is not [var submittedIn, var position]
            || SlackThread.Parse(submittedIn) is not { } at
            || QuestionPositions.Decode(position) is not { } on)
        {
            var notice = "That form does not say which question it answers, so nothing was recorded. Open the form again from the question.";
            var (channel, threadTs) = SlackThread.Parse(view.PrivateMetadata?.Split('|')[0]) is { } known ? (known.Channel, known.Ts) : (interaction.Channel?.Id, null);
            if (channel is not null)
            {
                await ReplyAsync(channel, user.Id, threadTs, string.IsNullOrWhiteSpace(text) ? notice : ChatInterviews.HandBack(notice, text, Surface(formRequest, channel, user.Id)), cancellationToken);
            }
            else
            {
                Log.FormWithoutPlace(logger);
            }

            return;
        }

        var formReply = await ReplyingOnFailureAsync(() => chat.FormAnswerAsync(formRequest, text, on, submittedIn, Surface(formRequest, at.Channel, user.Id), cancellationToken));
        await ReplyAsync(at.Channel, user.Id, at.Ts, formReply, cancellationToken);
    }

    /// <summary>A job description sent with the start form: the start it names runs, tailored to it, in the channel it was asked in.</summary>
    private async Task JobFormAsync(InteractivePayload interaction, SlackUser user, SubmittedView view, CancellationToken cancellationToken)
    {
        if (view.PrivateMetadata?.Split('|', 2) is not [var channel, var words] || channel.Length == 0
            || ChatCommand.ParseText($"start {words}") is not ChatCommand.Start start)
        {
            Log.FormWithoutPlace(logger);
            return;
        }

        var request = Request(user.Id, interaction.TriggerId ?? $"{user.Id}:{view.Id}");
        var text = view.State?.Values.GetValueOrDefault(JobForm.FieldId)?.GetValueOrDefault(JobForm.FieldId)?.Value;
        var reply = await ReplyingOnFailureAsync(() => chat.CommandAsync(request, start with { JobText = text ?? string.Empty }, Surface(request, channel, user.Id), _options.Command, cancellationToken));
        await ReplyAsync(channel, user.Id, threadTs: null, reply, cancellationToken);
    }

    /// <summary>A click: opens the answer form, records a rating, or acts on the interview; null when there is nothing to say.</summary>
    /// <param name="clicked">The message whose button it was.</param>
    private async Task<string?> ButtonAsync(ChatRequest request, BlockAction action, string thread, string? triggerId, SlackThread clicked, string userId, CancellationToken cancellationToken)
    {
        switch (action.ActionId)
        {
            case SlackActions.AnswerForm when triggerId is not null:
                // The trigger id lives for 3 seconds: the form opens before anything else.
                await web.OpenViewAsync(new OpenView(triggerId, AnswerModal($"{thread}|{action.Value}")), cancellationToken);
                return null;
            case SlackActions.RateUp or SlackActions.RateDown:
                return clicked.PostedAt is { } posted
                    ? await chat.RateAsync(request.CandidateId, clicked.ToString(), posted, action.Value, action.ActionId == SlackActions.RateUp, thread, cancellationToken)
                    : ChatInterviews.RatingNotCounted;
            case SlackActions.Disagree when disputes is not null && triggerId is not null && DisputedFeedback.Decode(action.Value) is { } disputed:
                // The trigger id lives for 3 seconds: one read of the interview, bounded, then the form opens (without
                // the dimensions past the bound; the submission checks everything again).
                var (form, failure) = await FormReads.WithinBudgetAsync(token => disputes.OpenFormAsync(request.CandidateId, disputed, thread, token), time, cancellationToken);
                if (failure is not null)
                {
                    Log.DisputeFormUnread(logger, failure.GetType().Name);
                }

                if (form?.Refusal is { } refusal)
                {
                    return refusal;
                }

                await web.OpenViewAsync(new OpenView(triggerId, DisagreeModal(form ?? new DisputeForm([], null), $"{thread}|{action.Value}")), cancellationToken);
                return null;
            case var voted when disputes is not null && SlackActions.IsVote(voted, out var score) && action.Value is { Length: > 0 } disputeId:
                return await VoteAsync(request, disputeId, score, cancellationToken);
        }

        return SlackActions.ButtonInput(action.ActionId, action.Value) is { } input
            ? await chat.ButtonAsync(request, input, thread, Surface(request, clicked.Channel, userId), cancellationToken)
            : "That button is not one I know.";
    }

    /// <summary>The I-disagree form sent: files the dispute, or says what to fix and hands the reason back.</summary>
    private async Task DisagreeFormAsync(InteractivePayload interaction, SlackUser user, SubmittedView view, CancellationToken cancellationToken)
    {
        if (view.PrivateMetadata?.Split('|', 2) is not [var submittedIn, var value] || SlackThread.Parse(submittedIn) is not { } at || DisputedFeedback.Decode(value) is not { } disputed)
        {
            Log.FormWithoutPlace(logger);
            return;
        }

        var request = Request(user.Id, interaction.TriggerId ?? $"{user.Id}:{view.Id}") with { Place = SlackAdminCheck.PlaceOf(interaction.Team?.Id) };
        string? Field(string id) => view.State?.Values.GetValueOrDefault(id)?.GetValueOrDefault(id)?.Value;
        var reason = Field(DisputeForm.ReasonField);
        var names = new[] { user.Username, user.Name }.OfType<string>().ToList();
        var filed = await ReplyingOnFailureAsync(() => disputes!.DisputeAsync(request, disputed, submittedIn, Field(DisputeForm.DimensionField), reason, names, cancellationToken)!);
        var reply = filed is null ? ChatInterviews.Apology(_options.Command)
            : filed.Filed || string.IsNullOrWhiteSpace(reason) ? filed.Reply
            : ChatInterviews.HandBack(filed.Reply, reason, Surface(request, at.Channel, user.Id));
        await ReplyAsync(at.Channel, user.Id, at.Ts, reply, cancellationToken);
    }

    /// <summary>
    /// The next blind ballot, for the voter alone: its text, then the four score buttons under its last part.
    /// Returns the reply when there is no ballot to show.
    /// </summary>
    private async Task<string?> BallotAsync(string channel, string userId, string? place, CancellationToken cancellationToken)
    {
        var ballot = await disputes!.BallotAsync(CandidateOf(userId), place, _options.Command, cancellationToken);
        if (ballot.DisputeId is not { } disputeId)
        {
            return ballot.Text;
        }

        var parts = SlackText.Split(ballot.Text);
        for (var i = 0; i < parts.Count; i++)
        {
            IReadOnlyList<Block>? blocks = i < parts.Count - 1 ? null :
            [
                new Block("section", Text: TextObject.Markdown(parts[i])),
                new Block("actions", Elements: [.. Enumerable.Range(1, 4).Select(score => new BlockElement(
                    "button",
                    TextObject.Plain(score.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    SlackActions.Vote(score),
                    disputeId))]),
            ];
            await web.PostEphemeralAsync(new PostEphemeral(channel, userId, parts[i], Blocks: blocks), cancellationToken);
        }

        return null;
    }

    /// <summary>A score pressed on a ballot; the vote that settles the dispute sends its candidate the outcome by direct message.</summary>
    private async Task<string> VoteAsync(ChatRequest voter, string disputeId, int score, CancellationToken cancellationToken) =>
        (await disputes!.VoteAsync(voter.CandidateId, voter.Place, disputeId, score, cancellationToken)).Reply;

    private static View DisagreeModal(DisputeForm form, string metadata) => new(
        "modal",
        TextObject.Plain(DisputeForm.Title),
        [
            new Block(
                "input",
                BlockId: DisputeForm.DimensionField,
                Label: TextObject.Plain(form.Dimensions.Count > 0 ? $"Which dimension is scored wrong? One of: {string.Join(", ", form.Dimensions)}" : "Which dimension is scored wrong?"),
                Element: new BlockElement("plain_text_input", ActionId: DisputeForm.DimensionField, MaxLength: 64, InitialValue: form.Dimensions is [var only] ? only : null)),
            new Block(
                "input",
                BlockId: DisputeForm.ReasonField,
                Label: TextObject.Plain(DisputeForm.ReasonLabel),
                Element: new BlockElement("plain_text_input", ActionId: DisputeForm.ReasonField, Multiline: true, MaxLength: DisputeForm.MaxReasonLength)),
        ],
        CallbackId: SlackActions.DisagreeModal,
        Submit: TextObject.Plain("Dispute"),
        Close: TextObject.Plain(AnswerForm.Close),
        PrivateMetadata: metadata);

    private string DailyApology => $"Something went wrong on our side, so this may not have finished. `{_options.Command} daily show` shows what is set.";

    private async Task<T> ReplyingOnFailureAsync<T>(Func<Task<T>> work, string? apology = null)
        where T : class?
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RequestFailed(logger, ex.GetType().Name, (ex as SlackApiException)?.Method ?? string.Empty, (ex as SlackApiException)?.Error ?? string.Empty);
            return (T)(object)(apology ?? ChatInterviews.Apology(_options.Command));
        }
    }

    private async Task ReplyAsync(string channel, string userId, string? threadTs, string reply, CancellationToken cancellationToken)
    {
        foreach (var part in SlackText.Split(reply))
        {
            try
            {
                await web.PostEphemeralAsync(new PostEphemeral(channel, userId, part, threadTs), cancellationToken);
            }
            catch (SlackApiException ex) when (ex.Error is "channel_not_found" or "not_in_channel" or "user_not_in_channel")
            {
                // An ephemeral message needs the bot in the channel; a DM reaches the candidate anywhere.
                var direct = await web.OpenDirectMessageAsync(userId, cancellationToken);
                await web.PostMessageAsync(new PostMessage(direct, part, UnfurlLinks: false, UnfurlMedia: false), cancellationToken);
            }
        }
    }

    /// <summary>Block Kit's text inputs hold 3,000 characters.</summary>
    private static readonly AnswerForm Form = AnswerForm.For(3000);

    private static View AnswerModal(string metadata) => new(
        "modal",
        TextObject.Plain(AnswerForm.Title),
        [
            .. Form.Fields.Select(field => new Block(
                "input",
                BlockId: field.Id,
                Label: TextObject.Plain(field.Label),
                Element: new BlockElement("plain_text_input", ActionId: field.Id, Multiline: true, MaxLength: field.MaxLength),
                Optional: field.Required ? null : true)),
        ],
        CallbackId: SlackActions.AnswerModal,
        Submit: TextObject.Plain(AnswerForm.Submit),
        Close: TextObject.Plain(AnswerForm.Close),
        PrivateMetadata: metadata);

    private static View DrillModal(string metadata) => new(
        "modal",
        TextObject.Plain("Your drill answer"),
        [
            new Block("section", Text: TextObject.Plain($"Answer the drill above. {DrillQuestions.Framing}")),
            .. Form.Fields.Select(field => new Block(
                "input",
                BlockId: field.Id,
                Label: TextObject.Plain(field.Label),
                Element: new BlockElement("plain_text_input", ActionId: field.Id, Multiline: true, MaxLength: field.MaxLength),
                Optional: field.Required ? null : true)),
        ],
        CallbackId: SlackActions.DrillAnswerModal,
        Submit: TextObject.Plain(AnswerForm.Submit),
        Close: TextObject.Plain(AnswerForm.Close),
        PrivateMetadata: metadata);

    /// <summary>Block Kit's text inputs hold 3,000 characters, below the 4,000 a job description may have elsewhere.</summary>
    private const int JobInputLength = 3000;

    private static View JobModal(string metadata) => new(
        "modal",
        TextObject.Plain(JobForm.Title),
        [
            new Block("section", Text: TextObject.Plain(JobForm.Explanation)),
            new Block(
                "input",
                BlockId: JobForm.FieldId,
                Label: TextObject.Plain(JobForm.Label),
                Element: new BlockElement("plain_text_input", ActionId: JobForm.FieldId, Multiline: true, MaxLength: JobInputLength)),
        ],
        CallbackId: SlackActions.JobModal,
        Submit: TextObject.Plain("Start"),
        Close: TextObject.Plain(AnswerForm.Close),
        PrivateMetadata: metadata);

    /// <summary>The form's inputs in order, each in the block named for it.</summary>
    private static string FormText(SubmittedView view) =>
        AnswerForm.Answer(Form.Fields.Select(field => view.State?.Values.GetValueOrDefault(field.Id)?.GetValueOrDefault(field.Id)?.Value));

    private static ChatRequest Request(string userId, string eventId) =>
        new(CandidateOf(userId), eventId, StableHash.Of(eventId, 0));

    private SlackSurface Surface(ChatRequest request, string channel, string userId, string? messageTs = null) =>
        new(web, output, request.CandidateId, channel, userId, messageTs);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Slack request failed with {ErrorType} {SlackMethod} {SlackError}")]
        public static partial void RequestFailed(ILogger logger, string errorType, string slackMethod, string slackError);

        [LoggerMessage(2, LogLevel.Warning, "An answer form came back naming no channel; its author could not be told")]
        public static partial void FormWithoutPlace(ILogger logger);

        [LoggerMessage(3, LogLevel.Warning, "An I-disagree form opened without its dimensions: the feedback's turn could not be read in time ({ErrorType})")]
        public static partial void DisputeFormUnread(ILogger logger, string errorType);
    }
}
