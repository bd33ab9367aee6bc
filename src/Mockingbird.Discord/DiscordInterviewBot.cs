using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Discord;

/// <summary>
/// The edge between Discord and the interview: interactions and thread messages become engine inputs, and what the
/// engine answers is posted in the candidate's thread. Every interaction is acknowledged at once (Discord allows 3
/// seconds) and completed afterwards; the judged feedback arrives later from the judging queue.
/// </summary>
internal sealed partial class DiscordInterviewBot(
    InterviewService service,
    IInterviewThreads threads,
    IDiscordRest rest,
    DiscordInterviewOutput output,
    IOptions<DiscordOptions> options,
    ILogger<DiscordInterviewBot> logger)
{
    private readonly DiscordOptions _options = options.Value;

    public static string CandidateOf(string userId) => $"discord:{userId}";

    /// <summary>The first response to an interaction: decided without any I/O, so it is always in time.</summary>
    public static InteractionCallback Acknowledge(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return interaction.Type switch
        {
            InteractionTypes.Ping => new InteractionCallback(InteractionCallbackTypes.Pong),
            InteractionTypes.MessageComponent when interaction.Data?.CustomId == ComponentIds.AnswerForm => AnswerForm(),
            InteractionTypes.ApplicationCommand or InteractionTypes.MessageComponent or InteractionTypes.ModalSubmit =>
                new InteractionCallback(InteractionCallbackTypes.DeferredChannelMessageWithSource, new InteractionCallbackData(Flags: MessageFlags.Ephemeral)),
            _ => new InteractionCallback(
                InteractionCallbackTypes.ChannelMessageWithSource,
                new InteractionCallbackData(Content: "That is not something I can do.", AllowedMentions: AllowedMentions.None, Flags: MessageFlags.Ephemeral)),
        };
    }

    /// <summary>True when <see cref="Acknowledge"/> leaves work for <see cref="CompleteAsync"/>.</summary>
    public static bool NeedsCompletion(InteractionCallback acknowledgement) =>
        acknowledgement.Type == InteractionCallbackTypes.DeferredChannelMessageWithSource;

    /// <summary>Does what the interaction asked and replaces the deferred reply with the outcome.</summary>
    public async Task CompleteAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        string reply;
        try
        {
            reply = interaction.Invoker is not { } user
                ? "I could not tell who sent that."
                : await RunAsync(interaction, user, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.InteractionFailed(logger, interaction.Type, ex.GetType().Name, (ex as DiscordApiException)?.Route ?? string.Empty, (ex as DiscordApiException)?.Code ?? 0);
            reply = "Something went wrong on our side. Anything you had answered is saved; please try again in a moment.";
        }

        await rest.EditOriginalResponseAsync(interaction.Token, new MessageEdit(Content: Clip(reply), AllowedMentions: AllowedMentions.None), cancellationToken);
    }

    /// <summary>A message written in the candidate's own interview thread is their answer; every other message is ignored.</summary>
    public async Task HandleMessageAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Author is not { Bot: not true } author || message.WebhookId is not null || message.GuildId is null
            || message.Type is not (0 or 19) || string.IsNullOrWhiteSpace(message.Content))
        {
            return;
        }

        var candidate = CandidateOf(author.Id);
        if (await threads.FindAsync(candidate, cancellationToken) != message.ChannelId)
        {
            return;
        }

        var actions = await service.HandleAsync(candidate, new AnswerSubmitted(message.Content), message.Id, cancellationToken);
        await output.PostAsync(message.ChannelId, actions, DeliveryKeyOf(message.Id), cancellationToken);
    }

    private async Task<string> RunAsync(Interaction interaction, DiscordUser user, CancellationToken cancellationToken)
    {
        var candidate = CandidateOf(user.Id);
        switch (interaction.Type)
        {
            case InteractionTypes.ApplicationCommand:
                return MockCommand.Parse(interaction.Data) switch
                {
                    MockCommand.Start start => await StartAsync(interaction, user, start.Options, cancellationToken),
                    MockCommand.Hint => await ApplyAsync(interaction, candidate, new HintRequested(), cancellationToken),
                    MockCommand.Skip => await ApplyAsync(interaction, candidate, new SkipRequested(), cancellationToken),
                    MockCommand.End => await ApplyAsync(interaction, candidate, new EndRequested(), cancellationToken),
                    MockCommand.Resume => await ResumeAsync(interaction, user, cancellationToken),
                    MockCommand.History => History(await service.HistoryAsync(candidate, cancellationToken)),
                    MockCommand.ForgetMe => await ForgetAsync(candidate, cancellationToken),
                    MockCommand.Unknown unknown => unknown.Problem,
                    _ => "That command is not one I know.",
                };
            case InteractionTypes.MessageComponent:
                return await ComponentAsync(interaction, candidate, interaction.Data?.CustomId ?? string.Empty, cancellationToken);
            case InteractionTypes.ModalSubmit when interaction.Data?.CustomId == ComponentIds.AnswerModal:
                return await FormAnswerAsync(interaction, candidate, cancellationToken);
            default:
                return "That is not something I can do.";
        }
    }

    private async Task<string> StartAsync(Interaction interaction, DiscordUser user, InterviewOptions options, CancellationToken cancellationToken)
    {
        var candidate = CandidateOf(user.Id);
        var seed = ulong.TryParse(interaction.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (ulong)interaction.Id.GetHashCode(StringComparison.Ordinal);
        var started = await service.StartAsync(candidate, options, seed, interaction.Id, cancellationToken);
        if (started.Count == 0)
        {
            return await threads.FindAsync(candidate, cancellationToken) is { } done ? $"Your interview is in <#{done}>." : "That start was handled already.";
        }

        if (!started.OfType<PostIntroduction>().Any())
        {
            var existing = await threads.FindAsync(candidate, cancellationToken);
            var text = DiscordRenderer.Text(started);
            return existing is null ? text : $"{text}\nYour interview is in <#{existing}>.";
        }

        var thread = await OpenThreadAsync(interaction, user, options.Plan.ToWire(), cancellationToken);
        await threads.SetAsync(candidate, thread, cancellationToken);
        await output.PostAsync(thread, started, DeliveryKeyOf(interaction.Id), cancellationToken);
        return $"Your interview is ready in <#{thread}>. Good luck!";
    }

    /// <summary>Posts the current question again; a candidate whose thread is gone gets a new one.</summary>
    private async Task<string> ResumeAsync(Interaction interaction, DiscordUser user, CancellationToken cancellationToken)
    {
        var candidate = CandidateOf(user.Id);
        var actions = await service.HandleAsync(candidate, new ResumeRequested(), interaction.Id, cancellationToken);
        if (!actions.OfType<PostQuestion>().Any() || await threads.FindAsync(candidate, cancellationToken) is not null)
        {
            return await PostOrReplyAsync(interaction, candidate, actions, cancellationToken);
        }

        var thread = await OpenThreadAsync(interaction, user, "resumed", cancellationToken);
        await threads.SetAsync(candidate, thread, cancellationToken);
        await output.PostAsync(thread, actions, DeliveryKeyOf(interaction.Id), cancellationToken);
        return $"Your interview continues in <#{thread}>.";
    }

    private async Task<string> ApplyAsync(Interaction interaction, string candidate, InterviewInput input, CancellationToken cancellationToken) =>
        await PostOrReplyAsync(interaction, candidate, await service.HandleAsync(candidate, input, interaction.Id, cancellationToken), cancellationToken);

    /// <summary>Posts in the thread when the candidate has one; otherwise the reply itself carries the actions.</summary>
    private async Task<string> PostOrReplyAsync(Interaction interaction, string candidate, IReadOnlyList<InterviewAction> actions, CancellationToken cancellationToken)
    {
        if (actions.Count == 0)
        {
            return "Done already.";
        }

        if (await threads.FindAsync(candidate, cancellationToken) is not { } thread)
        {
            return DiscordRenderer.Text(actions);
        }

        await output.PostAsync(thread, actions, DeliveryKeyOf(interaction.Id), cancellationToken);
        return actions is [PostNotice { Kind: NoticeKind.Rejected } notice] ? notice.Text : $"Done — see <#{thread}>.";
    }

    private async Task<string> ComponentAsync(Interaction interaction, string candidate, string customId, CancellationToken cancellationToken)
    {
        if (ComponentIds.TryParseRate(customId, out var turn, out var helpful))
        {
            Log.FeedbackRated(logger, turn, helpful);
            return helpful ? "Thanks! Glad it helped." : "Thanks — noted. This helps us improve the feedback.";
        }

        InterviewInput? input = customId switch
        {
            ComponentIds.Hint => new HintRequested(),
            ComponentIds.Skip => new SkipRequested(),
            ComponentIds.End => new EndRequested(),
            _ => null,
        };
        if (input is null)
        {
            return "That button is not one I know.";
        }

        if (await threads.FindAsync(candidate, cancellationToken) != interaction.ChannelId)
        {
            return "These buttons belong to someone else's interview. Start your own with `/mock start`.";
        }

        return await ApplyAsync(interaction, candidate, input, cancellationToken);
    }

    private async Task<string> FormAnswerAsync(Interaction interaction, string candidate, CancellationToken cancellationToken)
    {
        var answer = FormText(interaction.Data?.Components);
        if (string.IsNullOrWhiteSpace(answer))
        {
            return "The form was empty, so nothing was sent.";
        }

        if (await threads.FindAsync(candidate, cancellationToken) is not { } thread)
        {
            return DiscordRenderer.Text(await service.HandleAsync(candidate, new AnswerSubmitted(answer), interaction.Id, cancellationToken));
        }

        var actions = await service.HandleAsync(candidate, new AnswerSubmitted(answer), interaction.Id, cancellationToken);
        if (actions.OfType<AcknowledgeAnswer>().Any())
        {
            // A form answer is not visible in the thread by itself; show it above its acknowledgement.
            await output.PostTextAsync(thread, DiscordRenderer.AnswerEcho(answer), $"{DeliveryKeyOf(interaction.Id)}:answer", cancellationToken);
        }

        await output.PostAsync(thread, actions, DeliveryKeyOf(interaction.Id), cancellationToken);
        return actions is [PostNotice { Kind: NoticeKind.Rejected } notice] ? notice.Text : $"Answer sent — see <#{thread}>.";
    }

    private async Task<string> ForgetAsync(string candidate, CancellationToken cancellationToken)
    {
        var report = await service.ForgetAsync(candidate, cancellationToken);
        var thread = await threads.RemoveAsync(candidate, cancellationToken) ? 1 : 0;
        return report.Total + thread == 0
            ? "I had nothing stored about you."
            : $"Deleted: {report.Sessions} interview(s) in progress, {report.HistoryEntries} completed interview(s), {report.SeenQuestions} seen question(s), {report.QueuedJobs + report.PendingDeliveries} pending judgement(s). Messages already posted in Discord stay where they are; delete the threads to remove them.";
    }

    private async Task<string> OpenThreadAsync(Interaction interaction, DiscordUser user, string what, CancellationToken cancellationToken)
    {
        // Threads cannot hold threads: a command used inside one opens the interview beside it.
        var parent = interaction.Channel is { Type: ChannelTypes.PublicThread or ChannelTypes.PrivateThread, ParentId: { } threadParent }
            ? threadParent
            : interaction.ChannelId ?? throw new InvalidOperationException("The interaction came from no channel.");
        var name = Truncate($"Mock interview · {what} · {user.Username ?? "candidate"}", 100);
        DiscordChannel thread;
        if (_options.PrivateThreads)
        {
            try
            {
                thread = await rest.StartThreadAsync(parent, new ThreadCreate(name, _options.ThreadAutoArchiveMinutes, ChannelTypes.PrivateThread, Invitable: false), cancellationToken);
            }
            catch (DiscordApiException ex) when (ex.Status is 400 or 403)
            {
                // Private threads need the server's permission and a text channel; a public thread works elsewhere.
                Log.PrivateThreadRefused(logger, ex.Code);
                thread = await rest.StartThreadAsync(parent, new ThreadCreate(name, _options.ThreadAutoArchiveMinutes, ChannelTypes.PublicThread), cancellationToken);
            }
        }
        else
        {
            thread = await rest.StartThreadAsync(parent, new ThreadCreate(name, _options.ThreadAutoArchiveMinutes, ChannelTypes.PublicThread), cancellationToken);
        }

        await rest.AddThreadMemberAsync(thread.Id, user.Id, cancellationToken);
        return thread.Id;
    }

    private static InteractionCallback AnswerForm() => new(
        InteractionCallbackTypes.Modal,
        new InteractionCallbackData(
            CustomId: ComponentIds.AnswerModal,
            Title: "Your answer",
            Components:
            [
                .. ComponentIds.AnswerFields.Select((field, i) => new Component(
                    ComponentTypes.Label,
                    Label: i == 0 ? "Answer" : $"Answer, continued ({i + 1})",
                    Inner: new Component(ComponentTypes.TextInput, CustomId: field, Style: 2, MaxLength: 4000, Required: i == 0))),
            ]));

    /// <summary>The text inputs' values in order, from the current Label shape or the older Action Row one.</summary>
    private static string FormText(JsonElement? components)
    {
        var text = new StringBuilder();
        if (components is not { ValueKind: JsonValueKind.Array } list)
        {
            return string.Empty;
        }

        foreach (var item in list.EnumerateArray())
        {
            IEnumerable<JsonElement> inputs = item.TryGetProperty("component", out var inner) ? [inner]
                : item.TryGetProperty("components", out var row) && row.ValueKind == JsonValueKind.Array ? row.EnumerateArray() : [];
            foreach (var input in inputs)
            {
                if (input.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
                {
                    text.Append(text.Length == 0 ? string.Empty : "\n\n").Append(value.GetString()!.Trim());
                }
            }
        }

        return text.ToString();
    }

    private static string History(IReadOnlyList<HistoryEntry> history)
    {
        if (history.Count == 0)
        {
            return "No completed interviews yet. Start one with `/mock start`.";
        }

        var text = new StringBuilder($"**Your last {Math.Min(history.Count, 10)} interview(s)**\n");
        foreach (var entry in history.Take(10))
        {
            var overall = entry.Overall is { } o ? string.Create(CultureInfo.InvariantCulture, $"{o:0.0}/4") : "not scored";
            text.Append(CultureInfo.InvariantCulture, $"- {entry.CompletedAt:yyyy-MM-dd} · {entry.Plan.ToWire()} · {overall}\n");
        }

        var weakest = history.SelectMany(h => h.Topics).GroupBy(t => t.Topic).Select(g => (Topic: g.Key, Score: g.Average(t => t.Score))).OrderBy(t => t.Score).Take(3).ToList();
        if (weakest.Count > 0)
        {
            text.Append("Topics to work on: ").Append(string.Join(", ", weakest.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Topic} ({w.Score:0.0})"))));
        }

        return text.ToString();
    }

    private static string DeliveryKeyOf(string eventId) => $"discord:{eventId}";

    private static string Clip(string text) => text.Length <= DiscordText.MessageLimit ? text : string.Concat(text.AsSpan(0, DiscordText.MessageLimit - 1), "…");

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Interaction of type {InteractionType} failed with {ErrorType} {Route} {DiscordCode}")]
        public static partial void InteractionFailed(ILogger logger, int interactionType, string errorType, string route, int discordCode);

        [LoggerMessage(2, LogLevel.Information, "Feedback on turn {Turn} rated helpful: {Helpful}")]
        public static partial void FeedbackRated(ILogger logger, int turn, bool helpful);

        [LoggerMessage(3, LogLevel.Information, "A private thread was refused (Discord code {DiscordCode}); opening a public one")]
        public static partial void PrivateThreadRefused(ILogger logger, int discordCode);
    }
}
