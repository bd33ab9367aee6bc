using Microsoft.Extensions.Options;
using Mockingbird.Interview.Telemetry;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Reads the judging streams' size for the queue gauges. A completed or dead-lettered job is deleted from its
/// stream, so a stream's length is its jobs still waiting or being judged, and its first entry the oldest of them
/// (a stream id starts with the time it was added).
/// </summary>
public sealed class RedisJudgingQueueTelemetry(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions, TimeProvider time) : IJudgingQueueReadings
{
    private readonly RedisKeys _keys = new(redisOptions.Value.KeyPrefix, redisOptions.Value.Shards);

    public async Task<JudgingQueueSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        long depth = 0;
        long? oldest = null;
        for (var shard = 0; shard < _keys.Shards; shard++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stream = _keys.Jobs(shard);
            var length = await db.StreamLengthAsync(stream);
            depth += length;
            if (length > 0 && (await db.StreamRangeAsync(stream, count: 1)) is [var first] && AddedAt(first.Id) is { } added)
            {
                oldest = oldest is null ? added : Math.Min(oldest.Value, added);
            }
        }

        var age = oldest is { } ms ? time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(ms) : TimeSpan.Zero;
        return new JudgingQueueSnapshot(depth, age < TimeSpan.Zero ? TimeSpan.Zero : age);
    }

    private static long? AddedAt(RedisValue id)
    {
        var text = (string?)id;
        var dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        return dash > 0 && long.TryParse(text.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : null;
    }
}
