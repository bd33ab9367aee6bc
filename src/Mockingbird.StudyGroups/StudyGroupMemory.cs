using Mockingbird.Chat;

namespace Mockingbird.StudyGroups;

/// <summary>What study groups keep about a member, reached by forget-me: answers, results, streak and board records, settings.</summary>
public sealed class StudyGroupMemory(IStudyGroupStore store) : IPersonalDataKeeper
{
    public string What => "study-group item(s) (daily answers, results, streak and board entries, settings)";

    public Task<int> ForgetAsync(string personId, CancellationToken cancellationToken) => store.ForgetAsync(personId, cancellationToken);
}
