using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>
/// One store on the shared server, under a key prefix of its own and on a fake clock: what the tests of the sessions a
/// store keeps in memory start from.
/// </summary>
public abstract class KeptSessionsTestBase(RedisFixture fixture) : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    protected RedisFixture Fixture { get; } = fixture;

    protected string Prefix { get; } = RedisFixture.UniquePrefix();

    protected FakeTimeProvider Time { get; } = new(Start);

    protected SessionStoreOptions StoreOptions { get; } = new();

    protected ConnectionMultiplexer Connection { get; private set; } = null!;

    protected RedisSessionStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => (Connection, Store) = await RedisFixture.OpenStoreAsync(Fixture.Server, StoreOptions, Time, Prefix);

    public async Task DisposeAsync() => await Connection.DisposeAsync();

    /// <summary>Another process's store on the same keys.</summary>
    protected RedisSessionStore OtherStore() => RedisFixture.Store(Connection, StoreOptions, Time, Prefix);

    protected static InterviewSession Session(SessionPhase phase = SessionPhase.AwaitingAnswer, int current = 0) =>
        SampleSessions.Theory(Start, phase: phase, current: current);
}
