using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Chat;
using Mockingbird.Chat.Threads;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Daily;
using Mockingbird.Discord.Gateway;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Drills;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups;

namespace Mockingbird.Discord;

/// <summary>
/// The edge between Discord and the interview: interactions and thread messages become chat requests, and the
/// replies go back as Discord calls. Every interaction is acknowledged at once (Discord allows 3 seconds) and
/// completed afterwards; the judged feedback arrives later from the judging queue.
/// </summary>
internal sealed partial class DiscordInterviewBot(
    ChatInterviews chat,
    DailyRounds daily,
    DailyCommands dailyCommands,
    IDiscordRest rest,
    DiscordInterviewOutput output,
    IInterviewThreads threads,
    GatewaySessions sessions,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<DiscordInterviewBot> logger,
    DrillAnswers? drills = null,
    IDisputeCommands? disputes = null)
{
    /// <summary>Bounds what is remembered per message or thread: forgetting only costs a catch-up a little more work.</summary>
    private const int RememberedLimit = 10_000;

    private readonly DiscordOptions _options = options.Value;

    /// <summary>
    /// The gateway session in which each thread was last caught up on. Until a thread is, in the current session, a
    /// live message there does not move its read mark: the catch-up must still read what was written before it.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _caughtUp = new(StringComparer.Ordinal);

    /// <summary>
    /// Answers that could not be saved and whose author was asked to send them again: a catch-up must not take them
    /// too, or the answer sent again would land on the next question.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _toldToSendAgain = new(StringComparer.Ordinal);

    /// <summary>Channels already warned of as lacking Read Message History, so each is named once, not per command.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _historyUnreadable = new(StringComparer.Ordinal);

    /// <summary>The reply when no channel could be found to open the interview's thread in.</summary>
    public const string NoPlaceForThread =
        "I could not tell which channel this is, so I could not open a thread for your interview. Use `/mock resume` in a text channel to continue there.";

    /// <summary>A candidate's id, which also names them as a study-group member, so forget-me reaches both.</summary>
    public static string CandidateOf(string userId) => $"discord:{userId}";

    /// <summary>The Discord user a candidate (or study-group member) id names.</summary>
    public static string UserOf(string candidateId) =>
        candidateId.StartsWith("discord:", StringComparison.Ordinal) ? candidateId["discord:".Length..] : candidateId;

    /// <summary>The first response to an interaction: decided without any I/O, so it is always in time.</summary>
    public static InteractionCallback Acknowledge(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return interaction.Type switch
        {
            InteractionTypes.Ping => new InteractionCallback(InteractionCallbackTypes.Pong),
            InteractionTypes.MessageComponent when ComponentIds.IsAnswerForm(interaction.Data?.CustomId, out var on) => AnswerModal(on),
            InteractionTypes.MessageComponent when ComponentIds.IsDrillAnswer(interaction.Data?.CustomId, out var owner, out var drillId) => DrillModal(interaction, owner, drillId),
            InteractionTypes.ApplicationCommand when DiscordCommands.Parse(interaction.Data) is ChatCommand.AskForJob ask => JobModal(ask.Options),
            InteractionTypes.ApplicationCommand or InteractionTypes.MessageComponent or InteractionTypes.ModalSubmit =>
                new InteractionCallback(InteractionCallbackTypes.DeferredChannelMessageWithSource, new InteractionCallbackData(Flags: MessageFlags.Ephemeral)),
            _ => new InteractionCallback(
                InteractionCallbackTypes.ChannelMessageWithSource,
                new InteractionCallbackData(Content: "That is not something I can do.", AllowedMentions: AllowedMentions.None, Flags: MessageFlags.Ephemeral)),
        };
    }

    /// <summary>
    /// The first response to an interaction: <see cref="Acknowledge"/>'s, except for a daily round's Answer button,
    /// whose form holds the member's answer so far (a bounded store read; see <see cref="FormReads.Budget"/>).
    /// </summary>
    public async Task<InteractionCallback> AcknowledgeAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        if (interaction.Type == InteractionTypes.MessageComponent && ComponentIds.IsDisagree(interaction.Data?.CustomId, out var disputed) && interaction.Invoker is { } presser)
        {
            return await DisagreeFormAsync(interaction, presser, disputed, cancellationToken);
        }

        if (interaction.Type != InteractionTypes.MessageComponent || !ComponentIds.IsDailyAnswer(interaction.Data?.CustomId, out var roundId) || interaction.Invoker is not { } user)
        {
            return Acknowledge(interaction);
        }

        var (opening, failure) = await FormReads.WithinBudgetAsync(token => daily.OpenFormAsync(roundId, CandidateOf(user.Id), token), time, cancellationToken);
        if (failure is not null)
        {
            Log.DailyFormUnread(logger, failure.GetType().Name);
        }

        return opening is { Refusal: { } refusal }
            ? new InteractionCallback(
                InteractionCallbackTypes.ChannelMessageWithSource,
                new InteractionCallbackData(Content: refusal, AllowedMentions: AllowedMentions.None, Flags: MessageFlags.Ephemeral))
            : DailyModal(roundId, opening?.Question, opening?.Draft);
    }

    /// <summary>True when <see cref="Acknowledge"/> leaves work for <see cref="CompleteAsync"/>.</summary>
    public static bool NeedsCompletion(InteractionCallback acknowledgement) =>
        acknowledgement.Type == InteractionCallbackTypes.DeferredChannelMessageWithSource;

    /// <summary>Does what the interaction asked and replaces the deferred reply with the outcome.</summary>
    public async Task CompleteAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        WarnIfHistoryUnreadable(interaction);
        string reply;
        var images = new List<ChatImage>();
        try
        {
            reply = interaction.Invoker is not { } user
                ? "I could not tell who sent that."
                : await RunAsync(interaction, user, images, cancellationToken);
        }
        catch (ThreadParentUnknownException)
        {
            reply = NoPlaceForThread;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.InteractionFailed(logger, interaction.Type, ex.GetType().Name, (ex as DiscordApiException)?.Route ?? string.Empty, (ex as DiscordApiException)?.Code ?? 0);
            reply = ChatInterviews.Apology(DiscordCommands.Usage);
        }

        // The first part replaces the deferred reply; the rest (a long form answer handed back) follow it, also
        // visible to the candidate alone.
        var parts = DiscordText.Split(reply) is { Count: > 0 } split ? split : ["Done."];
        await rest.EditOriginalResponseAsync(interaction.Token, new MessageEdit(Content: parts[0], AllowedMentions: AllowedMentions.None, Flags: MessageFlags.PrivateReply), cancellationToken);
        foreach (var part in parts.Skip(1))
        {
            await rest.CreateFollowupAsync(interaction.Token, new MessageCreate(part, AllowedMentions: AllowedMentions.None, Flags: MessageFlags.PrivateReply), cancellationToken);
        }

        foreach (var image in images)
        {
            await ShowImageAsync(interaction.Token, image, cancellationToken);
        }
    }

    /// <summary>
    /// Without Read Message History Discord reads a channel back as empty rather than refusing, so nothing fails where
    /// it matters: answers written in its interview threads while the bot is away are never caught up on, and a post
    /// the bot cannot find again may be repeated. The command's <c>app_permissions</c> (the bot's, in the channel
    /// used) is the one place that shows it.
    /// </summary>
    private void WarnIfHistoryUnreadable(Interaction interaction)
    {
        // A thread takes its permissions from its channel, which is where they can be granted.
        if (interaction.Type != InteractionTypes.ApplicationCommand
            || interaction.GuildId is null
            || interaction.ChannelOrThreadParent is not { } channel
            || !System.Numerics.BigInteger.TryParse(interaction.AppPermissions, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var permissions)
            || !(permissions & (DiscordPermissions.Administrator | DiscordPermissions.ReadMessageHistory)).IsZero)
        {
            return;
        }

        if (_historyUnreadable.Count >= RememberedLimit)
        {
            _historyUnreadable.Clear();
        }

        if (_historyUnreadable.TryAdd(channel, 0))
        {
            Log.HistoryUnreadable(logger, channel);
        }
    }

    /// <summary>The reply to an image Discord would not take: the text before it already holds the numbers.</summary>
    public const string ImageRefused = "I couldn't attach the chart (Discord refused the upload); the summary above has the same numbers.";

    /// <summary>Discord's limit on an attachment's description.</summary>
    private const int AttachmentDescriptionLimit = 1024;

    /// <summary>An image as an ephemeral follow-up under the reply, so only the candidate sees it.</summary>
    private async Task ShowImageAsync(string interactionToken, ChatImage image, CancellationToken cancellationToken)
    {
        var file = new DiscordFile(image.FileName, image.Png, "image/png", ChatText.Shorten(image.AltText, AttachmentDescriptionLimit));
        try
        {
            await rest.CreateFollowupWithFilesAsync(interactionToken, DiscordText.Inert(image.Title), MessageFlags.Ephemeral, [file], cancellationToken);
        }
        catch (DiscordApiException ex)
        {
            Log.ImageRefused(logger, ex.Status, ex.Code);
            await rest.CreateFollowupAsync(interactionToken, new MessageCreate(ImageRefused, AllowedMentions: AllowedMentions.None, Flags: MessageFlags.Ephemeral), cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            // Not sent again: a follow-up has no nonce, so a retry after an unknown outcome could show the chart twice.
            Log.ImageNotSent(logger, ex.GetType().Name);
        }
    }

    /// <summary>Written by a person in a server, as text: what could be an answer, if the thread is theirs.</summary>
    public static bool MayBeAnswer(DiscordMessage message) =>
        message is { Author.Bot: not true, WebhookId: null, GuildId: not null, Type: 0 or 19 };

    /// <summary>A message written in the candidate's own interview thread is their answer; every other message is ignored.</summary>
    public async Task HandleMessageAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!MayBeAnswer(message) || message is not { Author: { } author, GuildId: { } guild })
        {
            return;
        }

        var onlyFiles = string.IsNullOrWhiteSpace(message.Content) && message.Attachments is { Count: > 0 };
        var request = Request(author, message.Id);
        if (_toldToSendAgain.ContainsKey(message.Id) || message.Reactions?.Any(r => r.Me && DiscordSurface.IsNotSavedReaction(r.Emoji?.Name)) == true)
        {
            // Caught up on after a reconnect (or a restart: the reaction stays on it), but its author was told it was
            // not saved and to send it again.
            return;
        }

        // The gateway delivers a message once: an answer that cannot be saved is said so at once, to be sent again.
        var received = await chat.MessageAsync(request, message.ChannelId, message.Content ?? string.Empty, onlyFiles, Surface(message.ChannelId, null, author, message.Id), ChatInterviews.NotSavedSendAgain, cancellationToken);
        if (received.Outcome == ThreadMessageOutcome.NotRecorded)
        {
            RememberToldToSendAgain(message.Id);
        }

        if (received.Outcome is ThreadMessageOutcome.Recorded or ThreadMessageOutcome.FilesOnly && IsCaughtUp(message.ChannelId))
        {
            await MarkReadAsync(new InterviewThreadMark(request.CandidateId, message.ChannelId, guild, message.Id), cancellationToken);
        }
    }

    /// <summary>Nothing written in <paramref name="thread"/> before gateway session <paramref name="session"/> is left unread.</summary>
    public void CaughtUp(string thread, long session)
    {
        if (_caughtUp.Count >= RememberedLimit)
        {
            // Forgetting only means a live message waits for the next catch-up to move the mark.
            _caughtUp.Clear();
        }

        _caughtUp[thread] = session;
    }

    public bool IsCaughtUp(string thread) => _caughtUp.TryGetValue(thread, out var session) && session == sessions.Current;

    private void RememberToldToSendAgain(string messageId)
    {
        if (_toldToSendAgain.Count >= RememberedLimit)
        {
            _toldToSendAgain.Clear();
        }

        _toldToSendAgain[messageId] = 0;
    }

    /// <summary>Records how far a thread was read; failing to is not worth failing the answer for, it is only read again.</summary>
    public async Task MarkReadAsync(InterviewThreadMark mark, CancellationToken cancellationToken)
    {
        try
        {
            await threads.MarkReadAsync(mark, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.MarkNotRecorded(logger, ex.GetType().Name);
        }
    }

    private async Task<string> RunAsync(Interaction interaction, DiscordUser user, List<ChatImage> images, CancellationToken cancellationToken)
    {
        if (interaction.Type == InteractionTypes.ApplicationCommand && DiscordCommands.ParseDaily(interaction.Data) is { } dailyCommand)
        {
            return DailyRequest(interaction, user) is { } asked
                ? await dailyCommands.CommandAsync(asked, dailyCommand, DiscordCommands.Usage, cancellationToken)
                : NotInServer;
        }

        if (interaction.Type == InteractionTypes.ModalSubmit && ComponentIds.IsDailyModal(interaction.Data?.CustomId, out var roundId))
        {
            return DailyRequest(interaction, user) is { } answering
                ? await daily.AnswerAsync(answering, roundId, FormText(interaction.Data!.Components), QuoteBack, cancellationToken)
                : NotInServer;
        }

        if (interaction.Type == InteractionTypes.ModalSubmit && ComponentIds.IsDrillModal(interaction.Data?.CustomId, out var drillOwner, out var drillId))
        {
            return drills is null
                ? DrillCommands.NotAvailable
                : await drills.SubmitAsync(CandidateOf(user.Id), CandidateOf(drillOwner), drillId, FormText(interaction.Data!.Components), QuoteBack, cancellationToken);
        }

        var request = Request(user, interaction.Id) with { Place = DiscordAdminCheck.PlaceOf(interaction) };
        var surface = Surface(interaction.ChannelId, interaction.Channel, user, imagesAfterReply: images);
        switch (interaction.Type)
        {
            case InteractionTypes.ApplicationCommand when disputes is not null && DiscordCommands.Parse(interaction.Data) is ChatCommand.Disputes { Action: DisputeAction.Vote }:
                return await BallotAsync(interaction.Token, request, cancellationToken);
            case InteractionTypes.MessageComponent when disputes is not null && ComponentIds.IsVote(interaction.Data?.CustomId, out var disputeId, out var score):
                return await VoteAsync(request, disputeId, score, cancellationToken);
            case InteractionTypes.ModalSubmit when disputes is not null && ComponentIds.IsDisagreeModal(interaction.Data?.CustomId, out var disputed):
                var (dimension, reason) = DisagreeFormValues(interaction.Data!.Components);
                var filed = await disputes.DisputeAsync(request, disputed, interaction.ChannelId ?? string.Empty, dimension, reason, user.Username is { } name ? [name] : [], cancellationToken);
                return filed.Filed || string.IsNullOrWhiteSpace(reason) ? filed.Reply : ChatInterviews.HandBack(filed.Reply, reason, surface);
            case InteractionTypes.ApplicationCommand:
                return await chat.CommandAsync(request with { AdminCheck = new DiscordAdminCheck(interaction) }, DiscordCommands.Parse(interaction.Data), surface, DiscordCommands.Usage, cancellationToken);
            case InteractionTypes.MessageComponent when ComponentIds.TryParseRate(interaction.Data?.CustomId, out var helpful, out var carried):
                return interaction.Message is { Id: var feedback } && Snowflakes.CreatedAt(feedback) is { } posted
                    ? await chat.RateAsync(request.CandidateId, feedback, posted, carried, helpful, interaction.ChannelId, cancellationToken)
                    : ChatInterviews.RatingNotCounted;
            case InteractionTypes.MessageComponent when ComponentIds.ButtonInput(interaction.Data?.CustomId) is { } input:
                return await chat.ButtonAsync(request, input, interaction.ChannelId ?? string.Empty, surface, cancellationToken);
            case InteractionTypes.ModalSubmit when ComponentIds.IsJobModal(interaction.Data?.CustomId, out var start):
                return await chat.CommandAsync(request, start with { JobText = FormText(interaction.Data!.Components) }, surface, DiscordCommands.Usage, cancellationToken);
            case InteractionTypes.ModalSubmit when ComponentIds.IsAnswerModal(interaction.Data?.CustomId, out var on):
                return await chat.FormAnswerAsync(request, FormText(interaction.Data!.Components), on, interaction.ChannelId ?? string.Empty, surface, cancellationToken);
            default:
                return "That is not something I can do.";
        }
    }

    /// <summary>
    /// The first response to I disagree: the form naming the feedback's dimensions, or a one-line refusal for anyone
    /// but its candidate. Like the daily form, it may wait a bounded time for the store (<see cref="FormReads.Budget"/>);
    /// when the read fails the form opens without the list, and its submission checks everything again.
    /// </summary>
    private async Task<InteractionCallback> DisagreeFormAsync(Interaction interaction, DiscordUser presser, DisputedFeedback disputed, CancellationToken cancellationToken)
    {
        if (disputes is null)
        {
            return Acknowledge(interaction);
        }

        var (form, failure) = await FormReads.WithinBudgetAsync(token => disputes.OpenFormAsync(CandidateOf(presser.Id), disputed, interaction.ChannelId ?? string.Empty, token), time, cancellationToken);
        if (failure is not null)
        {
            Log.DisputeFormUnread(logger, failure.GetType().Name);
        }

        if (form is { Refusal: { } refusal })
        {
            return new InteractionCallback(
                InteractionCallbackTypes.ChannelMessageWithSource,
                new InteractionCallbackData(Content: refusal, AllowedMentions: AllowedMentions.None, Flags: MessageFlags.Ephemeral));
        }

        var named = form is { Dimensions.Count: > 0 } ? $"One of: {string.Join(", ", form.Dimensions)}" : "As the feedback names it";
        return new InteractionCallback(
            InteractionCallbackTypes.Modal,
            new InteractionCallbackData(
                CustomId: ComponentIds.DisagreeModal(disputed),
                Title: DisputeForm.Title,
                Components:
                [
                    new Component(
                        ComponentTypes.Label,
                        Label: "Which dimension is scored wrong?",
                        Description: ChatText.Shorten(named, 100),
                        Inner: new Component(ComponentTypes.TextInput, CustomId: DisputeForm.DimensionField, Style: 1, MaxLength: 64, Required: true, Value: form is { Dimensions: [var only] } ? only : null)),
                    new Component(
                        ComponentTypes.Label,
                        Label: DisputeForm.ReasonLabel,
                        Inner: new Component(ComponentTypes.TextInput, CustomId: DisputeForm.ReasonField, Style: 2, MaxLength: DisputeForm.MaxReasonLength, Required: true)),
                ]));
    }

    /// <summary>
    /// The next blind ballot as ephemeral follow-ups, the last holding the score buttons; the reply itself only says so.
    /// </summary>
    private async Task<string> BallotAsync(string interactionToken, ChatRequest voter, CancellationToken cancellationToken)
    {
        var ballot = await disputes!.BallotAsync(voter.CandidateId, voter.Place, DiscordCommands.Usage, cancellationToken);
        if (ballot.DisputeId is not { } disputeId)
        {
            return ballot.Text;
        }

        var parts = DiscordText.Split(ballot.Text);
        Component[] scores =
        [
            new(ComponentTypes.ActionRow,
            [
                .. Enumerable.Range(1, 4).Select(score => new Component(
                    ComponentTypes.Button,
                    Style: ButtonStyles.Secondary,
                    Label: score.ToString(CultureInfo.InvariantCulture),
                    CustomId: ComponentIds.Vote(disputeId, score))),
            ]),
        ];
        for (var i = 0; i < parts.Count; i++)
        {
            await rest.CreateFollowupAsync(
                interactionToken,
                new MessageCreate(parts[i], AllowedMentions: AllowedMentions.None, Components: i == parts.Count - 1 ? scores : null, Flags: MessageFlags.Ephemeral),
                cancellationToken);
        }

        return "Your blind ballot is below. Nobody sees who voted or how.";
    }

    /// <summary>A score pressed on a ballot; the vote that settles the dispute sends its candidate the outcome by direct message.</summary>
    private async Task<string> VoteAsync(ChatRequest voter, string disputeId, int score, CancellationToken cancellationToken) =>
        (await disputes!.VoteAsync(voter.CandidateId, voter.Place, disputeId, score, cancellationToken)).Reply;

    /// <summary>The I-disagree form's dimension and reason, each in the Label that holds its text input.</summary>
    private static (string? Dimension, string? Reason) DisagreeFormValues(JsonElement? components)
    {
        var values = (components is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(item => item.TryGetProperty("component", out var inner) ? inner : item)
            .Where(input => input.TryGetProperty("custom_id", out var id) && id.ValueKind == JsonValueKind.String && input.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
            .ToDictionary(input => input.GetProperty("custom_id").GetString()!, input => input.GetProperty("value").GetString(), StringComparer.Ordinal);
        return (values.GetValueOrDefault(DisputeForm.DimensionField), values.GetValueOrDefault(DisputeForm.ReasonField));
    }

    /// <summary>The reply to a daily command or answer from outside a server.</summary>
    public const string NotInServer = "Daily questions live in a server's text channels; use this there.";

    private DailyRequest? DailyRequest(Interaction interaction, DiscordUser user) =>
        DiscordDailyAccess.Here(interaction) is { } here ? new DailyRequest(here, CandidateOf(user.Id), new DiscordDailyAccess(interaction, rest)) : null;

    /// <summary>Text handed back sits in a code block, where nothing renders as markup or a mention, and stays verbatim.</summary>
    private static string QuoteBack(string text) => $"```\n{text.Replace("```", "ʼʼʼ", StringComparison.Ordinal)}\n```";

    private static ChatRequest Request(DiscordUser user, string eventId) =>
        new(CandidateOf(user.Id), eventId, ulong.TryParse(eventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (ulong)eventId.Length);

    private DiscordSurface Surface(string? channelId, DiscordChannel? channel, DiscordUser user, string? messageId = null, List<ChatImage>? imagesAfterReply = null) =>
        new(rest, output, threads, _options, logger, channelId, channel, user, messageId, thread => CaughtUp(thread, sessions.Current), imagesAfterReply);

    /// <summary>Discord's text inputs hold 4,000 characters.</summary>
    private static readonly AnswerForm Form = AnswerForm.For(4000);

    private static InteractionCallback AnswerModal(QuestionPosition on) => new(
        InteractionCallbackTypes.Modal,
        new InteractionCallbackData(
            CustomId: ComponentIds.AnswerModal(on),
            Title: AnswerForm.Title,
            Components:
            [
                .. Form.Fields.Select(field => new Component(
                    ComponentTypes.Label,
                    Label: field.Label,
                    Inner: new Component(ComponentTypes.TextInput, CustomId: field.Id, Style: 2, MaxLength: field.MaxLength, Required: field.Required))),
            ]));

    /// <summary>The form a start with the job option opens first; what is pasted in it comes back with the start's options.</summary>
    private static InteractionCallback JobModal(InterviewOptions options) => new(
        InteractionCallbackTypes.Modal,
        new InteractionCallbackData(
            CustomId: ComponentIds.JobModal(options),
            Title: JobForm.Title,
            Components:
            [
                new Component(ComponentTypes.TextDisplay, Content: JobForm.Explanation),
                new Component(
                    ComponentTypes.Label,
                    Label: JobForm.Label,
                    Inner: new Component(ComponentTypes.TextInput, CustomId: JobForm.FieldId, Style: 2, MaxLength: JobDescription.MaxCharacters, Required: true)),
            ]));

    /// <summary>
    /// A daily round's answer form: the question to read while answering, and the inputs, holding the member's
    /// answer so far when it fits in them.
    /// </summary>
    private static InteractionCallback DailyModal(string roundId, string? question, string? draft)
    {
        var pieces = draft is null ? [] : ChatText.Split(draft, Form.Fields[0].MaxLength);
        if (pieces.Count > Form.Fields.Count)
        {
            pieces = [];
        }

        var intro = question is null
            ? "Write your answer to today's question. It stays private until the reveal, and you can revise it until the deadline."
            : ChatText.Shorten(DiscordText.Inert(question), 3800) + (draft is null ? string.Empty : "\n-# Your answer so far is below; sending replaces it.");
        return new InteractionCallback(
            InteractionCallbackTypes.Modal,
            new InteractionCallbackData(
                CustomId: ComponentIds.DailyModal(roundId),
                Title: "Your daily answer",
                Components:
                [
                    new Component(ComponentTypes.TextDisplay, Content: intro),
                    .. Form.Fields.Select((field, i) => new Component(
                        ComponentTypes.Label,
                        Label: field.Label,
                        Inner: new Component(ComponentTypes.TextInput, CustomId: field.Id, Style: 2, MaxLength: field.MaxLength, Required: field.Required, Value: i < pieces.Count ? pieces[i] : null))),
                ]));
    }

    /// <summary>A drill's answer form, opened only for the candidate the drill was sent to.</summary>
    private static InteractionCallback DrillModal(Interaction interaction, string owner, string drillId) =>
        interaction.Invoker?.Id != owner
            ? new InteractionCallback(
                InteractionCallbackTypes.ChannelMessageWithSource,
                new InteractionCallbackData(Content: DrillAnswers.NotYours, AllowedMentions: AllowedMentions.None, Flags: MessageFlags.Ephemeral))
            : new InteractionCallback(
                InteractionCallbackTypes.Modal,
                new InteractionCallbackData(
                    CustomId: ComponentIds.DrillModal(owner, drillId),
                    Title: "Your drill answer",
                    Components:
                    [
                        new Component(ComponentTypes.TextDisplay, Content: $"Answer the drill above. {DrillQuestions.Framing}"),
                        .. Form.Fields.Select(field => new Component(
                            ComponentTypes.Label,
                            Label: field.Label,
                            Inner: new Component(ComponentTypes.TextInput, CustomId: field.Id, Style: 2, MaxLength: field.MaxLength, Required: field.Required))),
                    ]));

    /// <summary>The text inputs' values in order, from the current Label shape or the older Action Row one.</summary>
    private static string FormText(JsonElement? components) =>
        AnswerForm.Answer(components is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray()
                .SelectMany(item => item.TryGetProperty("component", out var inner) ? [inner]
                    : item.TryGetProperty("components", out var row) && row.ValueKind == JsonValueKind.Array ? row.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .Select(input => input.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null)
            : []);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Interaction of type {InteractionType} failed with {ErrorType} {Route} {DiscordCode}")]
        public static partial void InteractionFailed(ILogger logger, int interactionType, string errorType, string route, int discordCode);

        [LoggerMessage(2, LogLevel.Warning, "Could not record how far an interview thread was read ({ErrorType}); catching up will read it again")]
        public static partial void MarkNotRecorded(ILogger logger, string errorType);

        [LoggerMessage(18, LogLevel.Warning, "An image follow-up failed with {ErrorType}; the reply before it has the same numbers")]
        public static partial void ImageNotSent(ILogger logger, string errorType);

        [LoggerMessage(17, LogLevel.Warning, "Discord refused an image follow-up ({Status}, Discord code {DiscordCode}); the candidate was told in text")]
        public static partial void ImageRefused(ILogger logger, int status, int discordCode);

        [LoggerMessage(42, LogLevel.Warning, "The bot lacks Read Message History in channel {ChannelId}: answers written in interview threads there while the bot is away will not be caught up on. Grant it in the channel's permissions (the invite link asks for it)")]
        public static partial void HistoryUnreadable(ILogger logger, string channelId);

        [LoggerMessage(41, LogLevel.Warning, "An I-disagree form opened without its dimensions: the feedback's turn could not be read in time ({ErrorType})")]
        public static partial void DisputeFormUnread(ILogger logger, string errorType);

        [LoggerMessage(3, LogLevel.Warning, "A daily answer form opened empty: the member's answer so far could not be read in time ({ErrorType})")]
        public static partial void DailyFormUnread(ILogger logger, string errorType);
    }
}
