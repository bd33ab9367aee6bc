using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Drills;

public sealed class DrillOptions
{
    public const string Section = "Drills";

    /// <summary>How long a claimed drill stays with its replica; one that dies gives it back after this.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest the scheduler sleeps, so a drill saved by another replica is not late by more than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Due candidates claimed at once.</summary>
    [Range(1, 1000)]
    public int ClaimBatch { get; set; } = 20;
}
