using Microsoft.Extensions.Options;
using Mockingbird.Chat.Ratings;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Feedback ratings in Redis: one hash of counts (a field per arm and rating), and one key per vote named by a
/// SHA-256 digest of who voted on what, kept for the rating window. One script per vote, so a changed vote moves its
/// count atomically.
/// </summary>
public sealed class RedisFeedbackRatings(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions) : IFeedbackRatings
{
    private const string HelpfulSuffix = "|helpful";
    private const string NotHelpfulSuffix = "|not-helpful";

    private static readonly LuaScript Vote = LuaScript.Prepare(
        "local earlier = redis.call('GET', @vote) " +
        "if earlier == @field then return 0 end " +
        "if earlier then redis.call('HINCRBY', @counts, earlier, -1) end " +
        "redis.call('HINCRBY', @counts, @field, 1) " +
        "redis.call('SET', @vote, @field, 'PX', @retention) " +
        "return 1");

    // A day past the window, so a vote cast at its very end is still remembered when a clock a little behind sees it.
    private static readonly TimeSpan VoteRetention = FeedbackRatingWindow.Length + TimeSpan.FromDays(1);

    private readonly string _tag = $"{{{redisOptions.Value.KeyPrefix}:ratings}}";

    public async Task<bool> RecordAsync(FeedbackRating rating, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rating);
        var digest = RedisKeys.Digest($"{rating.RaterId}\n{rating.FeedbackId}");
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Vote, new
        {
            vote = (RedisKey)$"{_tag}:vote:{digest}",
            counts = (RedisKey)Counts,
            field = rating.Arm + (rating.Helpful ? HelpfulSuffix : NotHelpfulSuffix),
            retention = (long)VoteRetention.TotalMilliseconds,
        });
        return (int)result == 1;
    }

    public async Task<IReadOnlyList<ArmRatings>> SummaryAsync(CancellationToken cancellationToken)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(Counts);
        return
        [
            .. fields
                .Select(f => (Field: f.Name.ToString(), Count: (long)f.Value))
                .GroupBy(f => f.Field[..f.Field.LastIndexOf('|')], StringComparer.Ordinal)
                .Select(arm => new ArmRatings(
                    arm.Key,
                    arm.Where(f => f.Field.EndsWith(HelpfulSuffix, StringComparison.Ordinal)).Sum(f => f.Count),
                    arm.Where(f => f.Field.EndsWith(NotHelpfulSuffix, StringComparison.Ordinal)).Sum(f => f.Count)))
                .OrderBy(a => a.Arm, StringComparer.Ordinal),
        ];
    }

    private string Counts => $"{_tag}:counts";
}
