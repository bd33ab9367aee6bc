using System.Globalization;
using System.Net;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Benchmarks;

/// <summary>
/// The Redis the benchmark measures, and the one place that knows where it is: a single server today. Everything the
/// benchmark reads from it (command stats, CPU, keys, memory) is summed over its primaries, so a cluster fixture
/// plugs in as one more way to start it.
/// </summary>
public sealed class MeasuredRedis : IAsyncDisposable
{
    /// <summary>Connection upkeep and the benchmark's own readings, not work a turn asks for.</summary>
    private static readonly HashSet<string> NotTurnWork =
        ["config", "info", "ping", "echo", "client", "cluster", "hello", "auth", "select", "subscribe", "role", "command", "scan", "keys", "memory"];

    private readonly ConnectionMultiplexer _admin;
    private readonly IAsyncDisposable? _owned;

    private MeasuredRedis(string configuration, ConnectionMultiplexer admin, IAsyncDisposable? owned)
    {
        Configuration = configuration;
        _admin = admin;
        _owned = owned;
    }

    /// <summary>What the bot would be configured with to reach this Redis.</summary>
    public string Configuration { get; }

    // A cluster would start here too (the loopback cluster fixture, then ConnectAsync with its configuration and the
    // fixture as what this owns): nothing else in the benchmark knows how many servers there are.

    /// <summary>A single redis-server owned by this run, fsync once a second as production Redis usually runs (the fault tests fsync every write).</summary>
    public static async Task<MeasuredRedis> StartSingleServerAsync()
    {
        var server = await RedisServer.StartAsync(appendFsync: "everysec");
        return await ConnectAsync(server.Endpoint, server);
    }

    /// <summary>A Redis another process of the run started (a replica host attaches to the parent's).</summary>
    public static Task<MeasuredRedis> AttachAsync(string configuration) => ConnectAsync(configuration, owned: null);

    /// <summary>A connection for the host under test, as the bot opens it.</summary>
    public async Task<ConnectionMultiplexer> ConnectHostAsync()
    {
        var options = ConfigurationOptions.Parse(Configuration);
        options.AbortOnConnectFail = false;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async Task ResetStatsAsync()
    {
        foreach (var server in Primaries())
        {
            await server.ConfigResetStatisticsAsync();
        }
    }

    /// <summary>Calls per command since the last reset, counting those run inside scripts, without connection upkeep.</summary>
    public async Task<Dictionary<string, long>> CommandCallsAsync()
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var server in Primaries())
        {
            foreach (var stat in (await server.InfoAsync("commandstats")).SelectMany(group => group))
            {
                var name = stat.Key["cmdstat_".Length..];
                if (!NotTurnWork.Contains(name) && !name.Contains('|', StringComparison.Ordinal))
                {
                    var count = long.Parse(stat.Value.Split(',')[0].Split('=')[1], CultureInfo.InvariantCulture);
                    calls[name] = calls.GetValueOrDefault(name) + count;
                }
            }
        }

        return calls;
    }

    /// <summary>CPU time the Redis processes have used (system and user), in seconds.</summary>
    public async Task<double> CpuSecondsAsync()
    {
        double total = 0;
        foreach (var server in Primaries())
        {
            total += (await server.InfoAsync("cpu")).SelectMany(group => group)
                .Where(stat => stat.Key is "used_cpu_sys" or "used_cpu_user")
                .Sum(stat => double.Parse(stat.Value, CultureInfo.InvariantCulture));
        }

        return total;
    }

    public async Task<List<string>> KeysAsync(string pattern)
    {
        var keys = new List<string>();
        foreach (var server in Primaries())
        {
            await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000))
            {
                keys.Add(key.ToString());
            }
        }

        return keys;
    }

    public async Task<long> MemoryUsageAsync(string key) =>
        (long)await _admin.GetDatabase().ExecuteAsync("MEMORY", "USAGE", (RedisKey)key);

    /// <summary>Whether the primaries are a cluster's, so that redis-benchmark must follow its slots (<c>--cluster</c>).</summary>
    public bool IsCluster => _admin.GetServers().Any(server => server.ServerType == ServerType.Cluster);

    /// <summary>Where redis-benchmark starts: one primary (on a cluster it finds the others from there).</summary>
    public DnsEndPoint CeilingEndpoint()
    {
        var endpoint = Primaries().First().EndPoint;
        return endpoint switch
        {
            IPEndPoint ip => new DnsEndPoint(ip.Address.ToString(), ip.Port),
            DnsEndPoint dns => dns,
            _ => throw new InvalidOperationException($"Unexpected endpoint {endpoint}."),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _admin.DisposeAsync();
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }

    private static async Task<MeasuredRedis> ConnectAsync(string configuration, IAsyncDisposable? owned)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = false;
        return new MeasuredRedis(configuration, await ConnectionMultiplexer.ConnectAsync(options), owned);
    }

    private IEnumerable<IServer> Primaries() => _admin.GetServers().Where(server => !server.IsReplica);
}
