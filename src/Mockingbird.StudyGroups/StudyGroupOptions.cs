using System.ComponentModel.DataAnnotations;

namespace Mockingbird.StudyGroups;

public sealed class StudyGroupOptions
{
    public const string Section = "StudyGroups";

    /// <summary>Off: no daily questions are posted, judged or revealed by this host, and the daily commands say so.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the scheduler looks for a slot to post, a round to close and a reveal to make.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A slot missed while no replica ran is posted on recovery if it is at most this old; an older one is skipped
    /// (and logged), so a group is not handed yesterday's question hours late.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "23:59:59")]
    public TimeSpan MissedSlotGrace { get; set; } = TimeSpan.FromHours(3);

    /// <summary>How long a replica holds a round's step (posting, revealing) before another may take it over.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan StepLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>No question comes back within this many of the channel's rounds.</summary>
    [Range(1, 1000)]
    public int PoolWindow { get; set; } = 60;

    /// <summary>The group's weakest rubric dimension is read from this many recent rounds.</summary>
    [Range(1, 100)]
    public int WeaknessRounds { get; set; } = 10;

    /// <summary>Missed days per calendar week that do not break a streak.</summary>
    [Range(0, 6)]
    public int GraceDaysPerWeek { get; set; } = 1;

    /// <summary>How long answers' results are kept for streaks and boards.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan RecordRetention { get; set; } = TimeSpan.FromDays(400);
}
