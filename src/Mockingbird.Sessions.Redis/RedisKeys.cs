using Mockingbird.Chat.Delivery;
using Mockingbird.Interview.Planning;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Every key the store uses. Each candidate belongs to one shard; all its keys and the shard's judging streams
/// carry the shard's hash tag (<c>{mb:3}</c>), which keeps each script within one hash slot on Redis Cluster.
/// </summary>
internal sealed class RedisKeys(string prefix, int shards)
{
    public int Shards { get; } = shards;

    /// <summary>A key part that stands for <paramref name="text"/> without revealing it (it may name a candidate).</summary>
    public static string Digest(string text) => KeyDigest.Of(text);

    public int ShardOf(string candidateId) => (int)(StableHash.Of(candidateId, 0) % (ulong)Shards);

    public string Tag(int shard) => $"{{{prefix}:{shard}}}";

    public string Session(string candidateId) => $"{Tag(ShardOf(candidateId))}:session:{candidateId}";

    public string Events(string candidateId) => $"{Tag(ShardOf(candidateId))}:events:{candidateId}";

    public string Seen(string candidateId) => $"{Tag(ShardOf(candidateId))}:seen:{candidateId}";

    public string History(string candidateId) => $"{Tag(ShardOf(candidateId))}:history:{candidateId}";

    public string Deliveries(string candidateId) => $"{Tag(ShardOf(candidateId))}:deliveries:{candidateId}";

    public string Thread(string candidateId) => $"{Tag(ShardOf(candidateId))}:thread:{candidateId}";

    /// <summary>How far each interview thread of the shard was read: candidate id to last read, thread and partition.</summary>
    public string ThreadMarks(int shard) => $"{Tag(shard)}:thread-marks";

    public string Jobs(int shard) => $"{Tag(shard)}:judge-jobs";

    public string DeadLetters(int shard) => $"{Tag(shard)}:judge-dead";

    /// <summary>Per job, how often it found its delivery held by another poster: total, in a row, and the part held.</summary>
    public string Held(int shard) => $"{Tag(shard)}:judge-held";

    /// <summary>Per taken job, when its taker's lease ends (ms on the takers' clocks): after it, another worker may take it.</summary>
    public string Leases(int shard) => $"{Tag(shard)}:judge-leases";

    /// <summary>Turns with a live job, so asking again (a resume) does not queue the same judgement twice.</summary>
    public string Queued(int shard) => $"{Tag(shard)}:judge-queued";
}
