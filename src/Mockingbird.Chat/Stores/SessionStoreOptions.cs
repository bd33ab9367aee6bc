using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Chat.Stores;

/// <summary>How long things are kept and how the judging queue retries. Shared by every store.</summary>
public sealed class SessionStoreOptions : IValidatableObject
{
    public const string Section = "Sessions";

    /// <summary>
    /// A session with no input for this long is dropped. Redis refreshes the expiry on the first write after a tenth of
    /// it has passed rather than on every write, so there a session may go after nine tenths of it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long completed interviews and seen questions are kept for progress and no-repeat selection.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(180);

    /// <summary>At most this many completed interviews are kept per candidate.</summary>
    [Range(1, 10_000)]
    public int MaxHistoryEntries { get; set; } = 200;

    /// <summary>
    /// How long a candidate's last completed interview is kept (without its job description) so that its feedback
    /// can still be disputed; a newer one replaces it, and zero keeps none.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan FinishedRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long the address of a candidate's interview thread is kept after it was last used.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan ThreadRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an inbound event id is remembered; platforms retry within minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A taken judging job not finished within this time is handed to another worker.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ReclaimAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Deliveries of a judging job before it goes to the dead-letter stream.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// How long a poster owns a message part it claimed in the delivery ledger unless it renews the claim, which a
    /// live poster does every third of it however long its post takes. Half of <see cref="ReclaimAfter"/>, so the
    /// claim of a poster that died has lapsed by the time its judging job comes back to another worker.
    /// </summary>
    public TimeSpan PostLease => ReclaimAfter / 2;

    /// <summary>
    /// How long a worker owns a delivery it saved before another may post it. Half of <see cref="ReclaimAfter"/>
    /// unless set, for the reason <see cref="PostLease"/> is: a lease that outlasted the reclaim would send the job
    /// of a worker that died back round until it is dead-lettered, instead of posting its feedback.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.025", "01:00:00")]
    public TimeSpan DeliveryLease
    {
        get => _deliveryLease ?? ReclaimAfter / 2;
        set => _deliveryLease = value;
    }

    private TimeSpan? _deliveryLease;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Set by hand, it must still leave the saved feedback of a worker that died free to post when its job comes back.
        if (DeliveryLease >= ReclaimAfter)
        {
            yield return new ValidationResult(
                $"Sessions:DeliveryLease ({DeliveryLease}) must be shorter than Sessions:ReclaimAfter ({ReclaimAfter}).",
                [nameof(DeliveryLease), nameof(ReclaimAfter)]);
        }
    }
}
