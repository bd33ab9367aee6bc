using System.Globalization;
using Microsoft.Extensions.Logging;
using Mockingbird.Chat.Experiments;
using Mockingbird.Chat.Progress;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

/// <summary>One inbound chat event: who, the platform's event id (for idempotency) and a seed for question choice.</summary>
/// <param name="AdminCheck">Whether the sender manages the server or workspace; none means nobody may run admin commands.</param>
/// <param name="Place">
/// The server or workspace it came from, as <see cref="IAdminCheck.Place"/> names it; null in a direct message or
/// where the platform did not say. Disputes are filed, offered and voted on only within one place.
/// </param>
public sealed record ChatRequest(string CandidateId, string EventId, ulong Seed, IAdminCheck? AdminCheck = null, string? Place = null);

/// <summary>What a message written in a thread came to once the store was asked.</summary>
public enum ThreadMessageOutcome
{
    /// <summary>Not an answer: someone else's thread, another channel, or nothing written.</summary>
    NotAnAnswer,

    /// <summary>The candidate sent files and no text, which cannot be judged.</summary>
    FilesOnly,

    /// <summary>Applied to the interview (or applied before: a repeated delivery).</summary>
    Recorded,

    /// <summary>It was the candidate's answer, and the store could not record it.</summary>
    NotRecorded,

    /// <summary>The store could not say whose thread it is, so whether it was an answer is unknown.</summary>
    NotChecked,
}

/// <summary>A thread message after its durable part: the outcome, and what the interview said to it.</summary>
public sealed record ThreadMessage(ThreadMessageOutcome Outcome, IReadOnlyList<InterviewAction> Actions)
{
    public static readonly ThreadMessage NotAnAnswer = new(ThreadMessageOutcome.NotAnAnswer, []);

    /// <summary>
    /// For a write whose outcome is unknown (a deadline passed, or the store timed out after it may have written):
    /// learns the real outcome, waiting on the write still under way or applying the same event once more.
    /// </summary>
    internal Func<CancellationToken, Task<ThreadMessage>>? Settle { get; init; }

    /// <summary>Settled as applied by the first write after all (the event id said so): taken, with nothing new to say.</summary>
    internal bool TakenEarlier { get; init; }
}

/// <summary>
/// How a chat bot runs interviews, whichever platform it is on: an interview lives in a thread of its own, only its
/// candidate's messages there are answers, commands and buttons act on the candidate's interview, and each reply
/// says where things happened. Platform adapters parse events into these calls and give a surface to post on.
/// </summary>
public sealed partial class ChatInterviews(
    InterviewService service,
    IInterviewThreads threads,
    IFeedbackRatings ratings,
    TimeProvider time,
    ILogger<ChatInterviews> logger,
    IEnumerable<IPersonalDataKeeper>? otherKeepers = null,
    ExperimentCommands? experimentCommands = null,
    ExperimentVotes? experimentVotes = null,
    IDrillCommands? drillCommands = null,
    IProgressChart? progressChart = null,
    IDisputeCommands? disputeCommands = null,
    InterviewThreadCache? knownThreads = null)
{
    /// <summary>The reply to a rating click that does not say which message it was on.</summary>
    public const string RatingNotCounted = "That rating could not be counted: the message it was on is not known.";

    /// <summary>What an answer the store could not record is told when the platform will deliver it again.</summary>
    public const string NotSavedRetrying =
        "I couldn't save this answer just now (our storage did not answer). It will be delivered to me again over the next few minutes, and its feedback follows once it is saved. If no feedback comes, send the answer again.";

    /// <summary>What an answer the store could not record is told when nothing will deliver it again.</summary>
    public const string NotSavedSendAgain =
        "I couldn't save this answer (our storage did not answer), so it was not taken. Please send it again in a minute.";

    private const string StartNotFinished = "Starting an interview here did not finish. Resume to carry on if it was saved, or start again; nothing more will be asked in this thread.";

    private const string FormNotSaved = "I couldn't save this answer (our storage did not answer), so it was not taken. Send it again in a minute.";

    /// <summary>
    /// Whose threads this process has seen, shared with its output in a host: an answer in a thread known to be its
    /// author's needs no lookup, and a store outage can still tell an answer from chatter. Built without one, it keeps
    /// its own.
    /// </summary>
    private readonly InterviewThreadCache _known = knownThreads ?? InterviewThreadCache.ForRetention(time, new SessionStoreOptions().ThreadRetention);

    /// <summary>The reply where a start asks for the job description form but no form can open (typed text, not the command).</summary>
    public const string JobFormOnlyFromCommand = "The job description form opens from the slash command: run it again with the job option.";

    public static string DeliveryKeyOf(string eventId) => $"event:{eventId}";

    /// <summary>The reply when a request failed on our side: it may have been partly done, and resume shows where things stand.</summary>
    public static string Apology(string commandName) =>
        $"Something went wrong on our side, so this may not have finished. `{commandName} resume` shows where your interview stands.";

    /// <summary>Runs a command; returns the reply for the candidate alone.</summary>
    public async Task<string> CommandAsync(ChatRequest request, ChatCommand command, IChatSurface surface, string commandName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(surface);
        var reply = command switch
        {
            ChatCommand.Start { JobText: { } job } start => await StartForJobAsync(request, start.Options, job, surface, cancellationToken),
            ChatCommand.Start start => await StartAsync(request, start.Options, surface, cancellationToken),
            ChatCommand.AskForJob => JobFormOnlyFromCommand,
            ChatCommand.Hint => await ApplyAsync(request, new HintRequested(), surface, cancellationToken),
            ChatCommand.Skip => await ApplyAsync(request, new SkipRequested(), surface, cancellationToken),
            ChatCommand.EndInterview => await ApplyAsync(request, new EndRequested(), surface, cancellationToken),
            ChatCommand.ResumeInterview => await ResumeAsync(request, surface, cancellationToken),
            ChatCommand.History => await HistoryAsync(request, surface, cancellationToken),
            ChatCommand.ForgetMe => await ForgetAsync(request.CandidateId, cancellationToken),
            ChatCommand.Drills drills when drillCommands is not null => await drillCommands.RunAsync(request, drills, commandName, cancellationToken),
            ChatCommand.Disputes disputes when disputeCommands is not null => await disputeCommands.RunAsync(request, disputes, commandName, cancellationToken),
            _ when experimentCommands is not null && ExperimentCommands.Handles(command) => await experimentCommands.RunAsync(request, command, commandName, cancellationToken),
            ChatCommand.Unknown unknown => $"{surface.Quote(unknown.Problem)}\n{ChatCommand.Usage(commandName)}",
            _ => ChatCommand.Usage(commandName),
        };
        return command is ChatCommand.Disputes or ChatCommand.ForgetMe ? reply : await WithUntoldDisputesAsync(request.CandidateId, reply, cancellationToken);
    }

    /// <summary>
    /// A dispute outcome whose direct message has not reached the candidate rides on their next command's reply, so
    /// closed direct messages do not keep it from them.
    /// </summary>
    private async Task<string> WithUntoldDisputesAsync(string candidateId, string reply, CancellationToken cancellationToken)
    {
        try
        {
            return await (disputeCommands?.UntoldAsync(candidateId, cancellationToken) ?? Task.FromResult<string?>(null)) is { } untold
                ? $"{reply}\n\n{untold}"
                : reply;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.UntoldDisputesUnread(logger, ex.GetType().Name);
            return reply;
        }
    }

    /// <summary>A button on an interview message: it acts only for the candidate whose thread it is in.</summary>
    public async Task<string> ButtonAsync(ChatRequest request, InterviewInput input, string clickedIn, IChatSurface surface, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await threads.FindAsync(request.CandidateId, cancellationToken) != clickedIn)
        {
            return "These buttons belong to someone else's interview. Start your own with the start command.";
        }

        return await ApplyAsync(request, input, surface, cancellationToken);
    }

    /// <summary>
    /// A 👍 or 👎 on a posted feedback, from anyone who can see it (study groups read each other's threads): counted
    /// for the arm the button names, one vote per person per feedback, within the rating window. Only the candidate's
    /// own vote on their own interview's feedback is counted in an experiment (see <see cref="OwnFeedbackAsync"/>).
    /// </summary>
    /// <param name="feedbackId">The platform's id of the feedback message.</param>
    /// <param name="postedAt">When that message was posted, as its id says.</param>
    /// <param name="carried">
    /// What the button carries (<see cref="RatedFeedback"/>); an arm not well formed counts as <see cref="FeedbackArm.Unknown"/>.
    /// </param>
    /// <param name="ratedIn">The thread the feedback is in, as <see cref="IInterviewThreads"/> holds threads; none when unknown.</param>
    public async Task<string> RateAsync(string raterId, string feedbackId, DateTimeOffset postedAt, string? carried, bool helpful, string? ratedIn, CancellationToken cancellationToken)
    {
        if (!FeedbackRatingWindow.IsOpen(postedAt, time.GetUtcNow()))
        {
            return $"Ratings close {FeedbackRatingWindow.Length.TotalDays:0} days after the feedback, so this one was not counted.";
        }

        var rated = RatedFeedback.Decode(carried);
        var counted = rated.Arm;
        var rating = new FeedbackRating(raterId, feedbackId, counted, helpful);
        var changed = await ratings.RecordAsync(rating, cancellationToken);

        // Also when unchanged: a repeated click heals a vote the experiment store missed, and changes nothing else.
        if (experimentVotes is not null && await OwnFeedbackAsync(raterId, ratedIn, rated.Interview, cancellationToken))
        {
            await experimentVotes.RecordAsync(rating, cancellationToken);
        }
        if (!changed)
        {
            return "You rated this feedback that way already.";
        }

        Log.FeedbackRated(logger, counted, helpful);
        return helpful ? "Thanks! Glad it helped." : "Thanks — noted. This helps us improve the feedback.";
    }

    /// <summary>
    /// An answer sent through a form opened on <paramref name="on"/>: shown in the thread, then taken like a typed
    /// answer. A form answer that is not taken comes back in the reply, so a long text is never simply lost.
    /// </summary>
    public async Task<string> FormAnswerAsync(ChatRequest request, string answer, QuestionPosition? on, string submittedIn, IChatSurface surface, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(surface);
        if (string.IsNullOrWhiteSpace(answer))
        {
            return "The form was empty, so nothing was sent.";
        }

        var submitted = new AnswerSubmitted(answer, on);
        string? thread;
        IReadOnlyList<InterviewAction> preview;
        try
        {
            thread = await FindThreadAsync(request.CandidateId, cancellationToken);
            preview = thread == submittedIn ? await service.PreviewAsync(request.CandidateId, submitted, cancellationToken) : [];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.NotRecorded(logger, "A form answer", ex.GetType().Name);
            return HandBack(FormNotSaved, answer, surface);
        }

        if (thread is null || thread != submittedIn)
        {
            return HandBack("That form belongs to someone else's interview, so nothing was recorded.", answer, surface);
        }

        // Shown before it is recorded: once recorded it is judged, and its feedback must not land above (or between
        // the parts of) its copy in the thread. A form that would not be taken now is not shown at all.
        if (preview.OfType<AcknowledgeAnswer>().Any())
        {
            try
            {
                await surface.EchoAnswerAsync(thread, answer, $"{DeliveryKeyOf(request.EventId)}:answer", cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Taking the answer matters more than its copy in the thread.
                Log.CouldNotShow(logger, "form answer", ex.GetType().Name);
            }
        }

        IReadOnlyList<InterviewAction> actions;
        try
        {
            actions = await service.HandleAsync(request.CandidateId, submitted, request.EventId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.NotRecorded(logger, "A form answer", ex.GetType().Name);
            return HandBack(FormNotSaved, answer, surface);
        }

        if (actions.Count == 0)
        {
            return $"That answer was sent already — see {surface.Link(thread)}.";
        }

        if (!actions.OfType<AcknowledgeAnswer>().Any())
        {
            return HandBack(actions is [PostNotice notice] ? notice.Text : await PostRestAsync(request, thread, actions, surface, cancellationToken), answer, surface);
        }

        await PostRestAsync(request, thread, [.. actions.Where(a => a is not AcknowledgeAnswer)], surface, cancellationToken);
        return $"Answer saved — its feedback will appear in {surface.Link(thread)}.";
    }

    /// <summary>
    /// A message written in a thread: the candidate's answer when it is their interview's thread; anything else
    /// (someone else's thread, another channel) is ignored. Returns the outcome once settled.
    /// </summary>
    /// <param name="onlyFiles">The message held files and no text (a long paste becomes a file on some clients).</param>
    /// <param name="notSavedNotice">What to tell the candidate when their answer could not be recorded.</param>
    public async Task<ThreadMessage> MessageAsync(ChatRequest request, string thread, string text, bool onlyFiles, IChatSurface surface, string notSavedNotice, CancellationToken cancellationToken)
    {
        var received = await ReceiveMessageAsync(request, thread, text, onlyFiles, deadline: null, cancellationToken);
        return await RespondAsync(request, thread, received, surface, notSavedNotice, cancellationToken);
    }

    /// <summary>
    /// The durable half of a thread message: when it is the candidate's answer, records it. Never throws for a store
    /// that is down or slower than <paramref name="deadline"/>: the outcome says so, and whether it was an answer.
    /// </summary>
    public async Task<ThreadMessage> ReceiveMessageAsync(ChatRequest request, string thread, string text, bool onlyFiles, TimeSpan? deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(text) && !onlyFiles)
        {
            return ThreadMessage.NotAnAnswer;
        }

        var theirs = false;
        Task<ThreadMessage>? receiving = null;
        try
        {
            receiving = ReceiveMessageAsync(request, thread, text, () => theirs = true, cancellationToken);
            return await (deadline is { } limit ? receiving.WaitAsync(limit, time, cancellationToken) : receiving);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            theirs |= _known.CandidateOf(thread) == request.CandidateId;
            Log.NotRecorded(logger, theirs ? "An answer" : "A thread message", ex.GetType().Name);

            // The write may yet land (it outlived the deadline) or may have landed (a store timeout says nothing
            // either way): before anyone is told it was not saved, its real outcome is learnt.
            var pending = receiving;
            return new ThreadMessage(theirs ? ThreadMessageOutcome.NotRecorded : ThreadMessageOutcome.NotChecked, [])
            {
                Settle = async token =>
                {
                    if (pending is not null)
                    {
                        try
                        {
                            return await pending;
                        }
                        catch (Exception late) when (late is not OperationCanceledException)
                        {
                            Log.NotRecorded(logger, "An answer whose write outlived its deadline", late.GetType().Name);
                        }
                    }

                    // Applied before, the same event id changes nothing and says so; applied now, it is taken.
                    var again = await ReceiveMessageAsync(request, thread, text, () => { }, token);
                    return again is { Outcome: ThreadMessageOutcome.Recorded, Actions.Count: 0 } ? again with { TakenEarlier = true } : again;
                },
            };
        }
    }

    /// <summary>
    /// The rest, once the platform has its acknowledgement: marks a taken answer and posts what the interview said;
    /// an answer that could not be recorded gets <paramref name="notSavedNotice"/> (none when null). Returns the
    /// outcome as it finally stands, once a write of unknown outcome is settled.
    /// </summary>
    public async Task<ThreadMessage> RespondAsync(ChatRequest request, string thread, ThreadMessage received, IChatSurface surface, string? notSavedNotice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(surface);
        if (received.Outcome is ThreadMessageOutcome.NotRecorded or ThreadMessageOutcome.NotChecked && received.Settle is { } settle)
        {
            try
            {
                received = await settle(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Still not recorded: the candidate is told below.
                Log.NotRecorded(logger, "An answer tried once more", ex.GetType().Name);
                received = received with { Settle = null };
            }
        }

        switch (received.Outcome)
        {
            case ThreadMessageOutcome.FilesOnly:
                IReadOnlyList<InterviewAction> unread = [new PostNotice("I can only read text written in the thread, not files. For a long answer, use the Answer in a form button on the question.", NoticeKind.Rejected)];
                await surface.PostAsync(thread, unread, DeliveryKeyOf(request.EventId), cancellationToken);
                return received;
            case ThreadMessageOutcome.NotRecorded when notSavedNotice is not null:
                // Said without the store (it is what failed): a reaction on the message and a word to its author.
                await surface.WarnNotSavedAsync(thread, notSavedNotice, cancellationToken);
                return received;
            case not ThreadMessageOutcome.Recorded:
                return received;
        }

        var actions = received.Actions;
        if (received.TakenEarlier || actions.Any(a => a is AcknowledgeAnswer))
        {
            try
            {
                await surface.MarkAnswerTakenAsync(cancellationToken);
                actions = [.. actions.Where(a => a is not AcknowledgeAnswer)];
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // No reaction (a missing permission, the message deleted): the candidate still hears it was taken.
                Log.CouldNotShow(logger, "answer reaction", ex.GetType().Name);
            }
        }

        if (actions.Count > 0)
        {
            await surface.PostAsync(thread, actions, DeliveryKeyOf(request.EventId), cancellationToken);
        }

        return received;
    }

    /// <summary>
    /// A thread known to be someone else's needs no lookup, nor does an answer in the thread its author's interview is
    /// held in: the session says where it is held, and the answer's own write checks it. Anything else (files alone,
    /// chatter, a session stored before it kept its place) is decided as it always was, on a lookup of the candidate's
    /// thread.
    /// </summary>
    private async Task<ThreadMessage> ReceiveMessageAsync(ChatRequest request, string thread, string text, Action theirs, CancellationToken cancellationToken)
    {
        var owner = _known.CandidateOf(thread);
        if (owner is not null && owner != request.CandidateId)
        {
            return ThreadMessage.NotAnAnswer;
        }

        var answer = new AnswerSubmitted(text);
        if (!string.IsNullOrWhiteSpace(text) && owner is not null)
        {
            theirs();
            if (await service.HandleInPlaceAsync(request.CandidateId, thread, answer, request.EventId, cancellationToken) is { } taken)
            {
                if (_known.DueForLookup(thread))
                {
                    await KeepThreadAsync(request.CandidateId, thread, cancellationToken);
                }

                return new ThreadMessage(ThreadMessageOutcome.Recorded, taken);
            }
        }

        // A thread not known to be the author's costs one lookup, not a read of the author's session: most messages
        // a bot sees are chatter.
        if (await FindThreadAsync(request.CandidateId, cancellationToken) != thread)
        {
            return ThreadMessage.NotAnAnswer;
        }

        theirs();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ThreadMessage(ThreadMessageOutcome.FilesOnly, []);
        }

        return await service.HandleInRecordedPlaceAsync(request.CandidateId, thread, answer, request.EventId, cancellationToken) is { } actions
            ? new ThreadMessage(ThreadMessageOutcome.Recorded, actions)
            : ThreadMessage.NotAnAnswer;
    }

    /// <summary>
    /// Looks up a thread whose answers went straight to the interview for a tenth of its retention, which keeps the
    /// store's record of it (buttons, forms, links and Discord's catch-up go by that record). The answer is already
    /// taken, so a failure here fails nothing.
    /// </summary>
    private async Task KeepThreadAsync(string candidateId, string thread, CancellationToken cancellationToken)
    {
        try
        {
            await FindThreadAsync(candidateId, cancellationToken);

            // Learnt afresh even where the record names another thread, so answers here are not each looked up.
            _known.Learn(candidateId, thread);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ThreadNotKept(logger, ex.GetType().Name);
        }
    }

    /// <summary>
    /// Whether the rater is the candidate the feedback was written for: it is in their open interview thread, or its
    /// button names an interview they finished (a finished interview's thread is let go of, and candidates often rate
    /// once they have read the scorecard). Experiments randomise candidates, so a candidate is their unit: votes by
    /// onlookers would let one feedback rated by a crowd pass the per-arm minimum on its own, and the same onlookers
    /// rate in every arm, so arms would not be independent samples. What cannot be read counts nothing: the rating
    /// matters more than the experiment's vote.
    /// </summary>
    private async Task<bool> OwnFeedbackAsync(string raterId, string? ratedIn, string? interview, CancellationToken cancellationToken)
    {
        try
        {
            if (ratedIn is not null && await threads.FindAsync(raterId, cancellationToken) == ratedIn)
            {
                return true;
            }

            return interview is not null && (await service.HistoryAsync(raterId, cancellationToken)).Any(finished => InterviewSession.MarkOf(finished.SessionId) == interview);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.VoteOwnerUnknown(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>The candidate's interview thread, learnt for later turns and for when the store cannot be asked.</summary>
    private async Task<string?> FindThreadAsync(string candidateId, CancellationToken cancellationToken)
    {
        var thread = await threads.FindAsync(candidateId, cancellationToken);
        if (thread is not null)
        {
            _known.Learn(candidateId, thread);
        }

        return thread;
    }

    /// <summary>Posts actions in the thread; returns the text of a lone notice, which is the reply instead.</summary>
    private static async Task<string> PostRestAsync(ChatRequest request, string thread, IReadOnlyList<InterviewAction> actions, IChatSurface surface, CancellationToken cancellationToken)
    {
        if (actions is [PostNotice { Kind: NoticeKind.Rejected } notice])
        {
            return notice.Text;
        }

        if (actions.Count > 0)
        {
            await surface.PostAsync(thread, actions, DeliveryKeyOf(request.EventId), cancellationToken);
        }

        return "Your answer was not recorded.";
    }

    /// <summary>A reply that hands a form answer back, fenced so it can be copied exactly.</summary>
    public static string HandBack(string reply, string answer, IChatSurface surface) =>
        $"{reply}\n\nWhat you wrote, to send again:\n```\n{surface.Quote(answer.Replace("```", "ʼʼʼ", StringComparison.Ordinal))}\n```";

    /// <summary>A start with a pasted job description: a description that cannot be used is refused before anything starts.</summary>
    private async Task<string> StartForJobAsync(ChatRequest request, InterviewOptions options, string jobText, IChatSurface surface, CancellationToken cancellationToken)
    {
        var reading = service.ReadJob(jobText);
        return reading.Job is { } job
            ? await StartAsync(request, options with { Job = job }, surface, cancellationToken)
            : $"{reading.Problem} Nothing was started.";
    }

    private async Task<string> StartAsync(ChatRequest request, InterviewOptions options, IChatSurface surface, CancellationToken cancellationToken)
    {
        string? opened = null;
        IReadOnlyList<InterviewAction> started;
        try
        {
            started = await service.StartAsync(
                request.CandidateId,
                options,
                request.Seed,
                request.EventId,
                async token => opened = await surface.OpenThreadAsync(options.Plan, token),
                cancellationToken);
        }
        catch (Exception ex) when (opened is not null && ex is not OperationCanceledException)
        {
            // The thread is open and the interview was not saved (the store failed): the candidate must not wait there.
            await LeaveUnusedThreadAsync(request, opened, surface, StartNotFinished);
            throw;
        }

        if (!started.OfType<PostIntroduction>().Any() && opened is not null)
        {
            // Another start of the candidate's was saved first (the same event delivered twice at once): the thread
            // opened for this one holds nothing, and is not kept as theirs.
            await LeaveUnusedThreadAsync(request, opened, surface, StartNotFinished);
        }

        if (started.Count == 0)
        {
            return await threads.FindAsync(request.CandidateId, cancellationToken) is { } done ? $"Your interview is in {surface.Link(done)}." : "That start was handled already.";
        }

        if (!started.OfType<PostIntroduction>().Any())
        {
            var existing = await threads.FindAsync(request.CandidateId, cancellationToken);
            var text = surface.Render(started);
            return existing is null ? text : $"{text}\nYour interview is in {surface.Link(existing)}.";
        }

        var thread = opened ?? throw new InvalidOperationException("An interview started without opening its thread.");
        await threads.SetAsync(request.CandidateId, thread, cancellationToken);
        _known.Learn(request.CandidateId, thread);
        await surface.PostAsync(thread, started, DeliveryKeyOf(request.EventId), cancellationToken);
        return $"Your interview is ready in {surface.Link(thread)}. Good luck!";
    }

    private async Task LeaveUnusedThreadAsync(ChatRequest request, string thread, IChatSurface surface, string why)
    {
        Log.ThreadUnused(logger);
        try
        {
            IReadOnlyList<InterviewAction> notice = [new PostNotice(why, NoticeKind.Rejected)];
            await surface.PostAsync(thread, notice, $"{DeliveryKeyOf(request.EventId)}:unused", CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.UnusedThreadNotNoted(logger, ex.GetType().Name);
        }
    }

    /// <summary>Posts the current question again; a candidate whose thread is gone gets a new one.</summary>
    private async Task<string> ResumeAsync(ChatRequest request, IChatSurface surface, CancellationToken cancellationToken)
    {
        var actions = await service.HandleAsync(request.CandidateId, new ResumeRequested(), request.EventId, cancellationToken);
        if (!actions.OfType<PostQuestion>().Any() || await threads.FindAsync(request.CandidateId, cancellationToken) is not null)
        {
            return await PostOrReplyAsync(request, actions, surface, cancellationToken);
        }

        var thread = await surface.OpenThreadAsync(plan: null, cancellationToken);

        // Of two resumes at once, the one that keeps its thread first moves the interview; the other's thread holds
        // only a note, so the session and the record never name different threads.
        if (!await threads.SetIfAbsentAsync(request.CandidateId, thread, cancellationToken))
        {
            await LeaveUnusedThreadAsync(request, thread, surface, "Resuming here did not finish: your interview went on in another thread, so nothing will be asked in this one.");
            return await threads.FindAsync(request.CandidateId, cancellationToken) is { } kept ? $"Your interview continues in {surface.Link(kept)}." : "That resume was handled already.";
        }

        // Moved in the session, so no process takes answers in the old thread or posts feedback there any more.
        try
        {
            await service.MoveAsync(request.CandidateId, thread, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not moved: the record must not name a thread the interview is not held in. What failed the move is
            // what the caller hears, even when letting the record go fails too (the store is down).
            try
            {
                await threads.RemoveIfCurrentAsync(request.CandidateId, thread, CancellationToken.None);
            }
            catch (Exception undo) when (undo is not OperationCanceledException)
            {
                Log.ResumedThreadKept(logger, undo.GetType().Name);
            }

            throw;
        }

        _known.Learn(request.CandidateId, thread);
        await surface.PostAsync(thread, actions, DeliveryKeyOf(request.EventId), cancellationToken);
        return $"Your interview continues in {surface.Link(thread)}.";
    }

    private async Task<string> ApplyAsync(ChatRequest request, InterviewInput input, IChatSurface surface, CancellationToken cancellationToken) =>
        await PostOrReplyAsync(request, await service.HandleAsync(request.CandidateId, input, request.EventId, cancellationToken), surface, cancellationToken);

    /// <summary>Posts in the thread when the candidate has one; otherwise the reply itself carries the actions.</summary>
    private async Task<string> PostOrReplyAsync(ChatRequest request, IReadOnlyList<InterviewAction> actions, IChatSurface surface, CancellationToken cancellationToken)
    {
        if (actions.Count == 0)
        {
            return "Done already.";
        }

        if (await threads.FindAsync(request.CandidateId, cancellationToken) is not { } thread)
        {
            return surface.Render(actions);
        }

        if (actions is [PostNotice { Kind: NoticeKind.Rejected } notice])
        {
            // Only the one who asked needs to hear that nothing was done; the thread stays the interview's record.
            return notice.Text;
        }

        await surface.PostAsync(thread, actions, DeliveryKeyOf(request.EventId), cancellationToken);
        return $"Done — see {surface.Link(thread)}.";
    }

    private async Task<string> ForgetAsync(string candidate, CancellationToken cancellationToken)
    {
        var report = await service.ForgetAsync(candidate, cancellationToken);
        var thread = await threads.RemoveAsync(candidate, cancellationToken) ? 1 : 0;
        _known.ForgetCandidate(candidate);
        var others = new List<string>();
        foreach (var keeper in otherKeepers ?? [])
        {
            if (await keeper.ForgetAsync(candidate, cancellationToken) is var count and > 0)
            {
                others.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {keeper.What}"));
            }
        }

        var also = others.Count == 0 ? string.Empty : $", {string.Join(", ", others)}";
        return report.Total + thread + others.Count == 0
            ? "I had nothing stored about you."
            : $"Deleted: {report.Sessions} interview(s) in progress, {report.HistoryEntries} completed interview(s), {report.SeenQuestions} seen question(s), {report.QueuedJobs + report.PendingDeliveries} pending judgement(s){also}. Messages already posted stay where they are; delete the threads to remove them.";
    }

    /// <summary>The candidate's own history only: a chart shown to them alone, and the summary as the reply.</summary>
    private async Task<string> HistoryAsync(ChatRequest request, IChatSurface surface, CancellationToken cancellationToken)
    {
        var history = await service.HistoryAsync(request.CandidateId, cancellationToken);
        var summary = ProgressSummary.Text(history);
        if (history.Count == 0 || progressChart is null)
        {
            return summary;
        }

        ChatImage chart;
        try
        {
            chart = progressChart.Render(ProgressSeries.From(history));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ChartNotDrawn(logger, ex.GetType().Name);
            return "I couldn't draw your progress chart this time; here is the summary.\n" + summary;
        }

        return await surface.ShowImageAsync(chart, cancellationToken) is { } where ? $"{where}\n{summary}" : summary;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not show the {What} ({ErrorType}); the answer itself is saved")]
        public static partial void CouldNotShow(ILogger logger, string what, string errorType);

        [LoggerMessage(3, LogLevel.Warning, "{What} could not be recorded ({ErrorType})")]
        public static partial void NotRecorded(ILogger logger, string what, string errorType);

        [LoggerMessage(17, LogLevel.Warning, "The progress chart could not be drawn ({ErrorType}); the summary was sent alone")]
        public static partial void ChartNotDrawn(ILogger logger, string errorType);

        [LoggerMessage(19, LogLevel.Warning, "Whose feedback a rating was on could not be read ({ErrorType}); the rating was kept and not counted in an experiment")]
        public static partial void VoteOwnerUnknown(ILogger logger, string errorType);

        [LoggerMessage(18, LogLevel.Warning, "Dispute outcomes not yet told could not be read ({ErrorType}); the reply went without them")]
        public static partial void UntoldDisputesUnread(ILogger logger, string errorType);

        [LoggerMessage(2, LogLevel.Information, "Feedback from {Arm} rated helpful: {Helpful}")]
        public static partial void FeedbackRated(ILogger logger, string arm, bool helpful);

        [LoggerMessage(20, LogLevel.Warning, "A thread was opened for a start or resume that did not take it (the store failed, or another start or resume of the candidate's came first); it holds only a note saying so")]
        public static partial void ThreadUnused(ILogger logger);

        [LoggerMessage(21, LogLevel.Warning, "An answer was taken in its thread, but the thread could not be looked up to keep its record ({ErrorType}); the next answer there tries again")]
        public static partial void ThreadNotKept(ILogger logger, string errorType);

        [LoggerMessage(22, LogLevel.Warning, "The note in a thread opened for a start that was not saved could not be posted ({ErrorType})")]
        public static partial void UnusedThreadNotNoted(ILogger logger, string errorType);

        [LoggerMessage(23, LogLevel.Warning, "A resume could not move the interview to its new thread, nor let the thread's record go ({ErrorType}); the record names a thread the interview is not held in")]
        public static partial void ResumedThreadKept(ILogger logger, string errorType);
    }
}
