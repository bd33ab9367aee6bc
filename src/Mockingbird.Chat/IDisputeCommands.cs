using System.Globalization;
using Mockingbird.Chat.Ratings;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

/// <summary>
/// What an I-disagree button carries back: the judged turn of the interview it was posted in, the question that turn
/// answered, the arm of its feedback and the interview's mark (<c>3|q-id|prompt@v2|1a2b3c4d</c>). The dispute is
/// counted against the prompt version the session kept with the judged turn; the arm is only read for turns judged
/// before the session kept it. Buttons posted before interviews were marked carry no mark (<c>null</c>); they work
/// while their interview is open, in its thread.
/// </summary>
public sealed record DisputedFeedback(int TurnNumber, string QuestionId, string Arm, string? Interview = null)
{
    /// <summary>
    /// The most the value may hold, so a platform id with its prefix stays within Discord's 100 characters; a longer
    /// arm is carried as <see cref="FeedbackArm.Unknown"/>.
    /// </summary>
    public const int MaxLength = 80;

    public static DisputedFeedback Of(PostFeedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var full = new DisputedFeedback(feedback.TurnNumber, feedback.Feedback.QuestionId, FeedbackArm.Of(feedback.Feedback.Source), feedback.Interview);
        return full.Encode().Length <= MaxLength ? full : full with { Arm = FeedbackArm.Unknown };
    }

    public string Encode() => Interview is null
        ? string.Create(CultureInfo.InvariantCulture, $"{TurnNumber}|{QuestionId}|{Arm}")
        : string.Create(CultureInfo.InvariantCulture, $"{TurnNumber}|{QuestionId}|{Arm}|{Interview}");

    public static DisputedFeedback? Decode(string? text) => text?.Split('|') switch
    {
        [var turn, { Length: > 0 } question, var arm] => Parsed(turn, question, arm, null),
        [var turn, { Length: > 0 } question, var arm, { Length: > 0 } interview] => Parsed(turn, question, arm, interview),
        _ => null,
    };

    private static DisputedFeedback? Parsed(string turn, string question, string arm, string? interview) =>
        int.TryParse(turn, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? new DisputedFeedback(number, question, FeedbackArm.IsWellFormed(arm) ? arm : FeedbackArm.Unknown, interview)
            : null;
}

/// <summary>What the I-disagree form offers: the dimensions the feedback scored, or why it does not open.</summary>
public sealed record DisputeForm(IReadOnlyList<string> Dimensions, string? Refusal)
{
    public const string Title = "I disagree";

    public const string DimensionField = "dimension";

    public const string ReasonField = "reason";

    public const string ReasonLabel = "Why is that score wrong?";

    public const int MaxReasonLength = 500;
}

/// <summary>What filing a dispute came to; when not filed, the reason is handed back to be sent again.</summary>
public sealed record DisputeFiled(string Reply, bool Filed);

/// <summary>The next blind ballot: its text for the voter, and the dispute the score buttons name (none when there is nothing to score).</summary>
public sealed record DisputeBallot(string Text, string? DisputeId);

/// <summary>What a vote came to: the voter's reply (a vote that settles the dispute sends its candidate the outcome itself).</summary>
public sealed record DisputeVoteCast(string Reply);

/// <summary>How a dispute ended, for its candidate alone.</summary>
/// <param name="DisputeId">Names the message, so a send repeated after a replica died part way is posted once where the platform allows.</param>
/// <param name="Text">Plain text: the platform makes it inert (no markup, no mentions).</param>
public sealed record DisputeOutcomeMessage(string CandidateId, string DisputeId, string Text);

/// <summary>What a chat platform does to tell a candidate how their dispute ended: a direct message.</summary>
public interface IDisputeMessenger
{
    /// <summary>Throws when the message was not delivered, so the outcome stays untold and is tried again.</summary>
    Task SendAsync(DisputeOutcomeMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Contestable scores as chat sees them: the I-disagree form, opting in to vote, and the blind ballots. They live
/// outside the chat flow, which only hands the command and the buttons on.
/// </summary>
public interface IDisputeCommands
{
    /// <summary><c>disputes</c> (the asker's own disputes), <c>disputes on|off</c>, and <c>disputes vote</c> as text; the reply is for the person alone.</summary>
    Task<string> RunAsync(ChatRequest request, ChatCommand.Disputes command, string commandName, CancellationToken cancellationToken);

    /// <summary>
    /// The outcomes of the asker's disputes that have ended and not reached them (their direct messages failed, or
    /// have not gone yet), now told by this reply; null when there are none.
    /// </summary>
    Task<string?> UntoldAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>The form for a press of I disagree in <paramref name="clickedIn"/>; refused unless it is the presser's own interview.</summary>
    Task<DisputeForm> OpenFormAsync(string candidateId, DisputedFeedback feedback, string clickedIn, CancellationToken cancellationToken);

    /// <summary>The form sent: files the dispute, or says what to fix.</summary>
    /// <param name="candidateNames">The names the candidate goes by on the platform, taken out of the answer voters see.</param>
    Task<DisputeFiled> DisputeAsync(ChatRequest request, DisputedFeedback feedback, string submittedIn, string? dimension, string? reason, IReadOnlyList<string> candidateNames, CancellationToken cancellationToken);

    /// <summary>The next blind ballot for <paramref name="voterId"/> among the disputes filed in <paramref name="place"/>.</summary>
    /// <param name="place">Where the voter asked from (<see cref="ChatRequest.Place"/>); none offers nothing.</param>
    Task<DisputeBallot> BallotAsync(string voterId, string? place, string commandName, CancellationToken cancellationToken);

    /// <param name="place">Where the vote was cast (<see cref="ChatRequest.Place"/>): it counts only on a dispute filed there.</param>
    Task<DisputeVoteCast> VoteAsync(string voterId, string? place, string disputeId, int score, CancellationToken cancellationToken);
}
