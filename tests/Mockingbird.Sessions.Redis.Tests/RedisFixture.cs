using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Questions;
using Mockingbird.Questions;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>One real redis-server for a test collection; each test gets its own key prefix on it.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public static Task<ConnectionMultiplexer> ConnectAsync(RedisServer server) => ConnectAsync(server.Endpoint);

    /// <param name="configuration">One server's endpoint, or every node of a cluster.</param>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>A container whose configuration points at this server under the prefix, as a host's would.</summary>
    public static ServiceCollection ConfiguredServices(RedisServer server, string prefix, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = server.Endpoint,
            ["Redis:KeyPrefix"] = prefix,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services;
    }

    /// <summary>The repository's bank, as a host has it: missed points of its rubrics are stored by mark.</summary>
    public static QuestionBank Bank => LoadedBank.Value;

    private static readonly Lazy<QuestionBank> LoadedBank = new(() => QuestionBankLoader.Load(RepositoryPaths.QuestionBank));

    public static RedisSessionStore Store(IConnectionMultiplexer redis, SessionStoreOptions options, TimeProvider time, string prefix, bool keepsDecodedSessions = true) =>
        new(redis, Options.Create(options), Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = prefix, Shards = 4 }), time, NullLogger<RedisSessionStore>.Instance, Bank)
        {
            KeepsDecodedSessions = keepsDecodedSessions,
        };

    /// <summary>A store on its own connection, its consumer groups created: what a host process has.</summary>
    public static Task<(ConnectionMultiplexer Redis, RedisSessionStore Store)> OpenStoreAsync(RedisServer server, SessionStoreOptions options, TimeProvider time, string prefix) =>
        OpenStoreAsync(server.Endpoint, options, time, prefix);

    /// <summary>A store on its own connection to a server or a cluster, its consumer groups created.</summary>
    public static async Task<(ConnectionMultiplexer Redis, RedisSessionStore Store)> OpenStoreAsync(string configuration, SessionStoreOptions options, TimeProvider time, string prefix, bool keepsDecodedSessions = true)
    {
        var redis = await ConnectAsync(configuration);
        var store = Store(redis, options, time, prefix, keepsDecodedSessions);
        await store.EnsureConsumerGroupsAsync(default);
        return (redis, store);
    }

    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The field names of every entry on the judging streams of <see cref="Store"/>'s shards, as written.</summary>
    public static async Task<List<string[]>> JobEntryFieldsAsync(IConnectionMultiplexer redis, string prefix)
    {
        var keys = new RedisKeys(prefix, 4);
        var entries = new List<string[]>();
        for (var shard = 0; shard < keys.Shards; shard++)
        {
            foreach (var entry in await redis.GetDatabase().StreamRangeAsync(keys.Jobs(shard)))
            {
                entries.Add([.. entry.Values.Select(v => (string)v.Name!)]);
            }
        }

        return entries;
    }
}

[CollectionDefinition(nameof(RedisCollection))]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>;

public sealed class RedisServerTests
{
    [Fact]
    public void A_missing_redis_tool_fails_with_how_to_get_it_rather_than_skipping()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => RedisServer.FindBinary("redis-server-that-does-not-exist"));

        Assert.Contains("tests/run.sh", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install redis-server", ex.Message, StringComparison.Ordinal);
    }
}
