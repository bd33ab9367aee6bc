using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Mockingbird.Experiments;

/// <summary>An arm that no longer serves anyone, why, and what stopped it.</summary>
/// <param name="By">
/// <c>guardrail</c> for an automatic stop, else <see cref="Admin"/>: never a person's id, because a stop is shown in
/// every report and kept as long as the experiment, beyond the reach of forget-me.
/// </param>
public sealed record ArmStop(string ExperimentId, string Version, string Reason, string By, DateTimeOffset At)
{
    /// <summary>Who <see cref="By"/> names for a stop made by hand.</summary>
    public const string Admin = "an admin";
}

/// <summary>
/// What every replica must agree on when it picks a prompt: the arms stopped and the people who opted out of
/// experiments. Both only grow (an opt-in removes one person), so a replica that is a moment behind serves an arm a
/// moment longer, never a wrong one for long.
/// </summary>
public sealed record ExperimentControl(IReadOnlyList<ArmStop> Stops, IReadOnlySet<string> OptedOut)
{
    public static ExperimentControl Empty { get; } = new([], new HashSet<string>(StringComparer.Ordinal));

    /// <summary>
    /// A replica's copy before its first read of the store has succeeded: which arms stopped and who opted out is
    /// unknown, so everyone is served the baseline and nobody is counted (<see cref="ArmAssignment"/>).
    /// </summary>
    public static ExperimentControl Unread { get; } = Empty with { IsRead = false };

    /// <summary>False for <see cref="Unread"/>: nothing may be assumed about stops or opt-outs.</summary>
    public bool IsRead { get; init; } = true;

    public ArmStop? StopOf(string experimentId, string version) =>
        Stops.FirstOrDefault(s => s.ExperimentId == experimentId && s.Version == version);

    public bool IsOptedOut(string personId) => OptedOut.Contains(personId);
}

/// <summary>
/// Which arm a candidate is in. The randomised arm is a stable hash of experiment and candidate, the same on every
/// replica and in every session; it is the arm the candidate is counted in (intention to treat) even when they are
/// served the baseline because their arm stopped. People who opted out are served the baseline and counted nowhere.
/// </summary>
public static class ArmAssignment
{
    public static ulong Bucket(string experimentId, string candidateId) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{experimentId}:{candidateId}")));

    /// <summary>The arm the hash puts the candidate in.</summary>
    public static ExperimentArm Randomised(ExperimentDesign design, string candidateId)
    {
        ArgumentNullException.ThrowIfNull(design);
        var bucket = Bucket(design.Id, candidateId) % (ulong)design.Arms.Sum(a => a.Weight);
        foreach (var arm in design.Arms)
        {
            if (bucket < (ulong)arm.Weight)
                return arm;
            bucket -= (ulong)arm.Weight;
        }

        throw new InvalidOperationException("unreachable: the bucket is below the total weight");
    }

    /// <summary>
    /// The arm counted for the candidate, or null when they opted out and are counted in none. While the control is
    /// <see cref="ExperimentControl.Unread"/> nobody is counted: the candidate may have opted out.
    /// </summary>
    public static ExperimentArm? Counted(ExperimentDesign design, string candidateId, ExperimentControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        return !control.IsRead || control.IsOptedOut(candidateId) ? null : Randomised(design, candidateId);
    }

    /// <summary>
    /// The version the candidate is served: their arm, unless it stopped, they opted out or the control is unread,
    /// then the baseline.
    /// </summary>
    public static string Served(ExperimentDesign design, string candidateId, ExperimentControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        if (Counted(design, candidateId, control) is not { } arm)
            return design.Baseline;
        return control.StopOf(design.Id, arm.Version) is null ? arm.Version : design.Baseline;
    }
}
