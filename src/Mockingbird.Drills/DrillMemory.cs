using Mockingbird.Chat;

namespace Mockingbird.Drills;

/// <summary>forget-me for drills: the settings, the schedule and the scores of drill answers go with the plan.</summary>
public sealed class DrillMemory(IDrillStore store) : IPersonalDataKeeper
{
    public string What => "drill plan (settings, schedule and answer scores)";

    public async Task<int> ForgetAsync(string personId, CancellationToken cancellationToken) =>
        await store.ForgetAsync(personId, cancellationToken) ? 1 : 0;
}
