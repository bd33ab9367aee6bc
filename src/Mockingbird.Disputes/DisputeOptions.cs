using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Disputes;

public sealed class DisputeOptions
{
    public const string Section = "Disputes";

    /// <summary>Votes that settle a dispute. Odd counts give a whole-point median.</summary>
    [Range(1, 15, ErrorMessage = "Disputes:VotesToSettle must be between 1 and 15: the peers' median needs at least one vote, and more than 15 would leave disputes open for ever in a small group.")]
    public int VotesToSettle { get; set; } = 3;

    /// <summary>How long a dispute waits for its votes before it closes as expired.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00", ErrorMessage = "Disputes:Window must be between 1 hour and 90 days.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long a closed dispute's outcome keeps trying to reach its candidate. Until then the record keeps their id
    /// and reason; once told (or after this), it keeps only what the labelled set needs.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "90.00:00:00", ErrorMessage = "Disputes:TellFor must be between 1 day and 90 days.")]
    public TimeSpan TellFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the outcomes not yet told are tried again; also how long one replica holds an outcome it is sending.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Disputes:RetryEvery must be between 1 minute and 1 day.")]
    public TimeSpan RetryEvery { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a person's indexes (the disputes they raised or voted on) are kept after their last entry: past the
    /// longest a dispute can name them (open for the window, then told for <see cref="TellFor"/>), with a day's slack
    /// for a late pass.
    /// </summary>
    public TimeSpan PersonalIndexesKeptFor => Window + TellFor + TimeSpan.FromDays(1);
}
