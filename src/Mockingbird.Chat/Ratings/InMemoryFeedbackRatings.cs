
namespace Mockingbird.Chat.Ratings;

/// <summary>Feedback ratings of one process, for tests and a single-replica bot without Redis.</summary>
public sealed class InMemoryFeedbackRatings : IFeedbackRatings
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Rater, string Feedback), (string Arm, bool Helpful)> _votes = [];
    private readonly Dictionary<string, (long Helpful, long NotHelpful)> _arms = new(StringComparer.Ordinal);

    public Task<bool> RecordAsync(FeedbackRating rating, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rating);
        lock (_gate)
        {
            var vote = (rating.Arm, rating.Helpful);
            if (_votes.TryGetValue((rating.RaterId, rating.FeedbackId), out var earlier))
            {
                if (earlier == vote)
                {
                    return Task.FromResult(false);
                }

                Count(earlier.Arm, earlier.Helpful, -1);
            }

            _votes[(rating.RaterId, rating.FeedbackId)] = vote;
            Count(rating.Arm, rating.Helpful, +1);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<ArmRatings>> SummaryAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<ArmRatings> summary = [.. _arms.Select(a => new ArmRatings(a.Key, a.Value.Helpful, a.Value.NotHelpful)).OrderBy(a => a.Arm, StringComparer.Ordinal)];
            return Task.FromResult(summary);
        }
    }

    private void Count(string arm, bool helpful, int by)
    {
        var (up, down) = _arms.GetValueOrDefault(arm);
        _arms[arm] = helpful ? (up + by, down) : (up, down + by);
    }
}
