namespace Mockingbird.Drills;

/// <summary>A drill for one candidate: the question and the ids its <b>Answer</b> button carries back.</summary>
/// <param name="DrillId">Unique within the candidate's drills; also the platform's idempotency key where it has one.</param>
public sealed record DrillMessage(string CandidateId, string DrillId, string Dimension, string Text);

/// <summary>What a chat platform does for drills: a direct message with an <b>Answer</b> button.</summary>
public interface IDrillPlatform
{
    Task SendAsync(DrillMessage message, CancellationToken cancellationToken);
}
