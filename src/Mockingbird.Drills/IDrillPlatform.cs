namespace Mockingbird.Drills;

/// <summary>A drill for one candidate: the question and the ids its <b>Answer</b> button carries back.</summary>
/// <param name="DrillId">Unique within the candidate's drills; also the platform's idempotency key where it has one.</param>
public sealed record DrillMessage(string CandidateId, string DrillId, string Dimension, string Text);

/// <summary>The judged feedback on a drill answer, rendered as plain text for a direct message.</summary>
/// <param name="Text">Plain text: the platform makes it inert (no markup, no mentions) before sending.</param>
public sealed record DrillFeedbackMessage(string CandidateId, string DrillId, string Text);

/// <summary>What a chat platform does for drills: a direct message with an <b>Answer</b> button, and the feedback after.</summary>
public interface IDrillPlatform
{
    Task SendAsync(DrillMessage message, CancellationToken cancellationToken);

    Task SendFeedbackAsync(DrillFeedbackMessage feedback, CancellationToken cancellationToken);
}
