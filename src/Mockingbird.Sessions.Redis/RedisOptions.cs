using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

public sealed class RedisOptions : IValidatableObject
{
    public const string Section = "Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>localhost:6379</c>; for Redis Cluster, some of its nodes
    /// (<c>redis-1:6379,redis-2:6379</c>), from which the client discovers the rest. Falls back to <c>ConnectionStrings:Redis</c>.
    /// </summary>
    [Required(ErrorMessage = "Set Redis:Configuration (or ConnectionStrings:Redis), e.g. 'localhost:6379'.")]
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key, so several deployments can share one server.</summary>
    [Required]
    [RegularExpression("^[a-z0-9-]{1,20}$")]
    public string KeyPrefix { get; set; } = "mb";

    /// <summary>
    /// Candidates are spread over this many hash slots. A candidate's keys and its shard's judging stream share one
    /// hash tag, so a write and its job are one atomic script even on Redis Cluster. Every key name carries the
    /// shard, so it cannot change once data exists: the store refuses to start on a mismatch.
    /// </summary>
    [Range(1, 256)]
    public int Shards { get; set; } = 8;

    /// <summary>The consumer group the judging workers share.</summary>
    [Required]
    public string ConsumerGroup { get; set; } = "judges";

    /// <summary>
    /// Replicas that must confirm an accepted answer (and its judging job) before the bot acknowledges it; 0 leaves
    /// replication asynchronous, so a primary that dies before replicating can lose an acknowledged answer. The bot
    /// waits at most <see cref="ReplicaTimeout"/> and then acknowledges anyway, with a warning: the answer is on the primary.
    /// </summary>
    [Range(0, 5)]
    public int ReplicasToAcknowledge { get; set; }

    /// <summary>
    /// How long an accepted answer waits for <see cref="ReplicasToAcknowledge"/>. Short on purpose: the wait holds up
    /// every command the process sends to that node (they share one connection) while a replica lags.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:05")]
    public TimeSpan ReplicaTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A judging consumer (one per shard for each process that ever ran) holding no job and idle this long is
    /// deleted by a sweep; a process that is still running just gets its consumer back on its next read.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan ForgetConsumersIdleFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A configuration string the client cannot read is a start-up error, not a stack trace when first used.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Configuration))
        {
            yield break;
        }

        var readable = true;
        try
        {
            ConfigurationOptions.Parse(Configuration);
        }
        catch (ArgumentException)
        {
            // The client's message quotes the piece it could not read, which can be part of a password split at a comma.
            readable = false;
        }

        if (!readable)
        {
            yield return new ValidationResult(
                "Redis:Configuration could not be read: it has an option the client does not know or a value it cannot parse. " +
                "It is a comma-separated list such as 'host:6379,password=…,ssl=true'; a ',' inside a password splits it.",
                [nameof(Configuration)]);
        }
    }
}
