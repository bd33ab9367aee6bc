using System.Globalization;
using System.Text;
using Mockingbird.Chat;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Disputes;

/// <summary>
/// Contestable scores in chat: the I-disagree form, <c>disputes on|off|vote</c>, and <c>disputes</c> alone for the
/// asker's own disputes.
/// </summary>
/// <remarks>
/// A dispute is filed from what the interview still keeps: the button names the judged turn, and the form reads that
/// turn from the candidate's active session, or, once the interview has finished, from the last finished interview
/// the store keeps for a while (<c>Sessions:FinishedRetention</c>), so the feedback posted with the scorecard can be
/// disputed too. The engine keeps an answer's text until the question after next (the last judged answer of the
/// previous question stays), and for older turns only their short quotes: a dispute on such a turn is filed with the
/// quotes, and the candidate is told. Past that retention, or for an earlier interview, the form says the answer is
/// no longer kept rather than file a dispute voters cannot judge.
/// </remarks>
public sealed class DisputeCommands(DisputeDesk desk, IDisputeVoters voters, ISessionStore sessions, IInterviewThreads threads, QuestionBank bank, DisputeOutcomeDelivery? delivery = null) : IDisputeCommands
{
    public const string NotYours = "Only the candidate whose feedback this is can dispute it.";

    /// <summary>Neither the asker's open interview nor their last finished one holds the answer: it is older, or not theirs.</summary>
    public const string NotDisputable = "Only its candidate can dispute a score, while the interview is open or soon after it ends; this one is not yours, or it ended too long ago.";

    public const string NoLongerKept = "That interview no longer keeps this answer, so it cannot be disputed now.";

    public async Task<string> RunAsync(ChatRequest request, ChatCommand.Disputes command, string commandName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(command);
        // Opting in and voting hold for the place asked from: there are no disputes to score outside one.
        switch (command.Action, request.Place)
        {
            case (not null, null):
                return DisputeRules.NoPlace;
            case (DisputeAction.On, { } place):
                return await desk.SetVotingAsync(request.CandidateId, place, true, cancellationToken)
                    ? $"You score disputed answers now, in this server or workspace only. `{commandName} disputes vote` shows the next one, blind: no name, no judge's score. `{commandName} disputes off` stops."
                    : $"You score disputed answers here already. `{commandName} disputes vote` shows the next one.";
            case (DisputeAction.Off, { } place):
                return await desk.SetVotingAsync(request.CandidateId, place, false, cancellationToken)
                    ? "You no longer score disputed answers here; the votes you gave still count."
                    : "You were not scoring disputed answers here; nothing changed.";
            case (DisputeAction.Vote, var place):
                return (await BallotAsync(request.CandidateId, place, commandName, cancellationToken)).Text;
            default:
                var own = await desk.ListAsync(request.CandidateId, cancellationToken);
                var voting = request.Place switch
                {
                    // A direct message has no server or workspace to score for, and opting in from one is refused.
                    null => $"When a candidate disputes a score, people who opted in in the same server or workspace score the answer blind against the rubric, and the peers' score settles it. To take part, run `{commandName} disputes on` in a channel there, not in a direct message.",
                    { } here when await voters.IsOptedInAsync(request.CandidateId, here, cancellationToken) =>
                        $"You score disputed answers given here. `{commandName} disputes vote` shows the next one; `{commandName} disputes off` stops.",
                    _ => $"When a candidate disputes a score, people in this server or workspace who opted in here score the answer blind against the rubric, and the peers' score settles it. `{commandName} disputes on` to take part.",
                };
                return own.Count == 0 ? voting : $"{ListOf(own)}\n\n{voting}";
        }
    }

    public async Task<string?> UntoldAsync(string candidateId, CancellationToken cancellationToken)
    {
        var ended = (await desk.ListAsync(candidateId, cancellationToken)).Where(o => o.State != DisputeState.Open).ToList();
        return ended.Count == 0 ? null : string.Join("\n", ended.Select(o => o.Text));
    }

    /// <summary>
    /// The asker's disputes, one line each; an ended one is listed once, as the record stops naming them once they
    /// have been told.
    /// </summary>
    private static string ListOf(IReadOnlyList<DisputeOutcome> own)
    {
        var text = new StringBuilder("Your disputes:");
        foreach (var outcome in own)
        {
            text.Append("\n- ").Append(outcome.Text);
        }

        if (own.Any(o => o.State != DisputeState.Open))
        {
            text.Append("\nEnded disputes are listed once: after this they no longer name you.");
        }

        return text.ToString();
    }

    public async Task<DisputeForm> OpenFormAsync(string candidateId, DisputedFeedback feedback, string clickedIn, CancellationToken cancellationToken)
    {
        var found = await FindAsync(candidateId, feedback, clickedIn, cancellationToken);
        return found.Turn?.Score is { } score
            ? new DisputeForm([.. score.Dimensions.Select(d => d.Name)], null)
            : new DisputeForm([], found.Refusal);
    }

    public async Task<DisputeFiled> DisputeAsync(ChatRequest request, DisputedFeedback feedback, string submittedIn, string? dimension, string? reason, IReadOnlyList<string> candidateNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(feedback);
        if (request.Place is not { } place)
        {
            return new DisputeFiled(DisputeRules.NoPlace, false);
        }

        var found = await FindAsync(request.CandidateId, feedback, submittedIn, cancellationToken);
        if (found is not { Session: { } session, Turn: { Score: { } score } turn })
        {
            return new DisputeFiled(found.Refusal ?? NoLongerKept, false);
        }

        if (bank.Find(turn.QuestionId) is not { } question)
        {
            return new DisputeFiled("That question is no longer in the question bank, so there is no rubric to score it against.", false);
        }

        var quotesOnly = turn.Answer is null;
        var answer = turn.Answer ?? string.Join("\n…\n", score.Quotes.Select(q => q.Text));
        var filing = await desk.DisputeAsync(
            new DisputeRequest(request.CandidateId, place, $"{session.Id}:{turn.Number}", AsAsked(question, session, turn), answer, FeedbackOf(turn.QuestionId, score, feedback.Arm), dimension ?? string.Empty, reason ?? string.Empty, candidateNames),
            cancellationToken);
        if (filing.Problem is { } problem)
        {
            return new DisputeFiled(problem, false);
        }

        if (!filing.OpenedNow)
        {
            return new DisputeFiled(filing.Outcome?.Text ?? "You disputed this score already.", true);
        }

        var outcome = filing.Outcome!;
        var quoted = quotesOnly ? " Your full answer is no longer kept, so voters see the quotes kept from it." : string.Empty;
        return new DisputeFiled(
            $"Your dispute on {outcome.Dimension} is filed. {outcome.VotesToSettle} people in this server or workspace who opted in here will score your answer blind: they see neither your name nor the judge's score, and you will not see who voted.{quoted} The outcome comes by direct message.",
            true);
    }

    public async Task<DisputeBallot> BallotAsync(string voterId, string? place, string commandName, CancellationToken cancellationToken)
    {
        if (place is null)
        {
            return new DisputeBallot(DisputeRules.NoPlace, null);
        }

        var offer = await desk.NextBallotAsync(voterId, place, cancellationToken);
        if (offer.Problem is { } problem)
        {
            return new DisputeBallot($"{problem} `{commandName} disputes on`", null);
        }

        if (offer.Case is not { } blind)
        {
            return new DisputeBallot("No disputed answer is waiting for your vote now. Thank you for looking.", null);
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Blind ballot: score this answer on {blind.Rubric.Dimension} from {DisputeRules.LowestScore} (weak) to {DisputeRules.HighestScore} (strong), against the rubric below.\n\n");
        text.Append("Question:\n").Append(Inert(blind.QuestionPrompt)).Append("\n\nAnswer:\n").Append(Inert(blind.Answer));
        text.Append(CultureInfo.InvariantCulture, $"\n\nRubric ({blind.Rubric.Dimension}):\n");
        text.Append(Inert(string.Join("\n", blind.Rubric.Points.Select(p => $"- {p}"))));
        return new DisputeBallot(text.ToString(), blind.DisputeId);
    }

    public async Task<DisputeVoteCast> VoteAsync(string voterId, string? place, string disputeId, int score, CancellationToken cancellationToken)
    {
        if (place is null)
        {
            return new DisputeVoteCast(DisputeRules.NoPlace);
        }

        var result = await desk.VoteAsync(voterId, place, disputeId, score, cancellationToken);
        if (result.Settled is not null)
        {
            // A failed message stays untold: the delivery pass tries again, so the vote itself stands either way.
            await (delivery?.TellAsync(disputeId, cancellationToken) ?? Task.FromResult(false));
        }

        return result switch
        {
            { Problem: { } problem } => new DisputeVoteCast(problem),
            { Outcome: VoteOutcome.AlreadyVoted } => new DisputeVoteCast("You voted on this dispute already; your first vote stands."),
            { Outcome: VoteOutcome.Settled } => new DisputeVoteCast("Thank you: your vote settled this dispute. It stays anonymous."),
            _ => new DisputeVoteCast("Thank you: your vote is counted. It stays anonymous."),
        };
    }

    private sealed record Found(InterviewSession? Session, Turn? Turn, string? Refusal);

    /// <summary>
    /// The judged turn the button names, if it is the asker's own and still kept: in their open interview when the
    /// button is in its thread, else in their last finished interview. A finished interview's thread is let go of,
    /// so there only the interview's mark on the button ties it to that interview: someone else's button, or one from
    /// an earlier interview that asked the same question at the same turn, matches nothing.
    /// </summary>
    private async Task<Found> FindAsync(string candidateId, DisputedFeedback feedback, string clickedIn, CancellationToken cancellationToken)
    {
        var thread = await threads.FindAsync(candidateId, cancellationToken);
        if (thread == clickedIn && Disputable((await sessions.FindActiveAsync(candidateId, cancellationToken))?.Session, feedback, markRequired: false) is { } open)
        {
            return open;
        }

        if (feedback.Interview is not null && Disputable(await sessions.FindFinishedAsync(candidateId, cancellationToken), feedback, markRequired: true) is { } finished)
        {
            return finished;
        }

        return new Found(null, null, thread == clickedIn ? NoLongerKept : thread is null ? NotDisputable : NotYours);
    }

    private static Found? Disputable(InterviewSession? session, DisputedFeedback feedback, bool markRequired)
    {
        if (session is null || (feedback.Interview ?? (markRequired ? null : session.Mark)) != session.Mark)
        {
            return null;
        }

        var turn = session.Turns.FirstOrDefault(t => t.Number == feedback.TurnNumber && t.QuestionId == feedback.QuestionId && t.Score is not null);
        return turn is null || (turn.Answer is null && turn.Score!.Quotes.Count == 0) ? null : new Found(session, turn, null);
    }

    /// <summary>The question as the candidate was asked it: a follow-up's text goes with its question, whose rubric it is judged on.</summary>
    private static Question AsAsked(Question question, InterviewSession session, Turn turn)
    {
        if (turn.FollowUpIndex is not { } followUp)
        {
            return question;
        }

        var key = new InterviewItem(session.Questions.ToList().FindIndex(q => q.Id == turn.QuestionId), followUp).Key;
        var asked = session.WrittenFollowUps.GetValueOrDefault(key) ?? question.FollowUps.ElementAtOrDefault(followUp);
        return asked is null ? question : question with { Prompt = $"{question.Prompt}\n\nFollow-up: {asked}" };
    }

    /// <summary>
    /// The feedback as the session kept it: the dimension scores and the judge, with the prompt version that scored
    /// it, so agreement is counted per prompt version. The turn keeps the source it was judged with: an experiment's
    /// button names only the arm the candidate is counted in (<c>experiment/arm</c>), which is not the version served
    /// once that arm stopped, and a long arm is not carried at all. A turn judged before sources were kept falls back
    /// to the button's <c>name@version</c>.
    /// </summary>
    private static Feedback FeedbackOf(string questionId, TurnScore score, string arm)
    {
        var source = score.Source
            ?? (arm.Split('@') is [var name, var version] && !arm.Contains('/', StringComparison.Ordinal)
                ? new FeedbackSource(score.Judge.Split(':')[0], PromptName: name, PromptVersion: version)
                : new FeedbackSource(arm == FeedbackArm.Unknown ? score.Judge : arm));
        return new Feedback(
            questionId,
            score.Judge,
            string.Empty,
            [.. score.Dimensions.Select(d => new DimensionScore(d.Name, d.Score, [], string.Empty))],
            [],
            score.Missed,
            score.Total,
            [],
            [],
            score.NextDrill,
            Source: source);
    }

    /// <summary>Someone else's words in a code block, where nothing renders as markup or a mention.</summary>
    private static string Inert(string text) => $"```\n{text.Replace("```", "ʼʼʼ", StringComparison.Ordinal)}\n```";
}
