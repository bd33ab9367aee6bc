using Microsoft.Extensions.Options;
using Mockingbird.Disputes;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Who opted in to score disputed answers, and where, in Redis, so an opt-in on one replica counts on all. Each person
/// has one set of the places they opted in to, under the disputes tag <c>{prefix:disputes}</c> (beside
/// <see cref="RedisDisputeStore"/>'s keys) and named by their digest only; SADD and SREM say whether they changed
/// anything, so only forgetting needs a script.
/// </summary>
/// <remarks>
/// Opt-ins were once one set of people for the whole bot (<c>{prefix:disputes}:voters</c>). It is no longer read, so
/// those opt-ins count nowhere until the person opts in again in a place. A host deletes it as it starts
/// (<see cref="DropRetiredOptInsAsync"/>); until then forgetting a person still takes them out of it.
/// </remarks>
public sealed class RedisDisputeVoters(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions) : IDisputeVoters
{
    /// <summary>KEYS: the person's places, the old set of people. ARGV: person digest. Returns how many opt-ins went.</summary>
    private const string Forget = """
        local places = redis.call('SCARD', KEYS[1])
        redis.call('DEL', KEYS[1])
        return places + redis.call('SREM', KEYS[2], ARGV[1])
        """;

    private readonly string _tag = $"{{{redisOptions.Value.KeyPrefix}:disputes}}";

    private RedisKey PlacesOf(string personId) => $"{_tag}:voter:{RedisKeys.Digest(personId)}";

    private RedisKey OptedInAnywhere => $"{_tag}:voters";

    public Task<bool> IsOptedInAsync(string personId, string place, CancellationToken cancellationToken) =>
        redis.GetDatabase().SetContainsAsync(PlacesOf(personId), place);

    public Task<bool> SetOptedInAsync(string personId, string place, bool optedIn, CancellationToken cancellationToken) =>
        optedIn
            ? redis.GetDatabase().SetAddAsync(PlacesOf(personId), place)
            : redis.GetDatabase().SetRemoveAsync(PlacesOf(personId), place);

    /// <summary>Deletes the retired set of people opted in anywhere: it names people (by digest) and nothing reads it.</summary>
    /// <returns>Whether there was one.</returns>
    public async Task<bool> DropRetiredOptInsAsync() => await redis.GetDatabase().KeyDeleteAsync(OptedInAnywhere);

    public async Task<int> ForgetAsync(string personId, CancellationToken cancellationToken) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(Forget, [PlacesOf(personId), OptedInAnywhere], [RedisKeys.Digest(personId)]);
}
