using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Disputes;

public sealed class DisputeOptions
{
    public const string Section = "Disputes";

    /// <summary>Votes that settle a dispute. Odd counts give a whole-point median.</summary>
    [Range(1, 15, ErrorMessage = "Disputes:VotesToSettle must be between 1 and 15: the peers' median needs at least one vote, and more than 15 would leave disputes open for ever in a small group.")]
    public int VotesToSettle { get; set; } = 3;

    /// <summary>How long a dispute waits for its votes before it expires unsettled.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00", ErrorMessage = "Disputes:Window must be between 1 hour and 90 days.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(14);
}
