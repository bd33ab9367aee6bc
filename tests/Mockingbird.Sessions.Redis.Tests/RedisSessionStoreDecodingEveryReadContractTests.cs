using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>
/// The contract again with the store decoding every value it reads, as a process that did not write them does: the
/// other run reads most sessions back from what it kept decoded, which would hide a stored form that loses something.
/// </summary>
[Collection(nameof(RedisCollection))]
public sealed class RedisSessionStoreDecodingEveryReadContractTests(RedisFixture fixture) : SessionStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;
    private RedisSessionStore _store = null!;

    protected override async Task<(ISessionStore Store, IJudgingQueue Queue)> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        (_redis, _store) = await RedisFixture.OpenStoreAsync(fixture.Server.Endpoint, options, time, _prefix, keepsDecodedSessions: false);
        return (_store, _store);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();

    protected override Task<IReadOnlyList<(JudgeJob Job, string Reason)>> DeadLettersAsync() => _store.DeadLettersAsync();
}
