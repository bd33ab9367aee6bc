using Mockingbird.Interview.Questions;

namespace Mockingbird.StudyGroups.Suggestions;

/// <summary>A question a member suggested for a channel: waiting for an admin, or approved into the channel's pool.</summary>
/// <param name="Id">Short and per channel (<c>s7</c>), for admins to type.</param>
/// <param name="MemberId">Who suggested it, while it waits; <c>null</c> once approved, when the question is the channel's.</param>
/// <param name="Text">As sent: a question in the bank's YAML schema, or free text.</param>
/// <param name="FreeTextStage">For free text, the stage it was suggested for; <c>null</c> when <paramref name="Text"/> is in the bank's schema, which names its own.</param>
public sealed record DailySuggestion(string Id, string? MemberId, string Text, Stage? FreeTextStage, DateTimeOffset At)
{
    public bool IsFreeText => FreeTextStage is not null;
}
