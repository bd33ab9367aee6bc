using System.Globalization;
using System.Net;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Benchmarks;

/// <summary>
/// The Redis the benchmark measures, and the one place that knows where it is: a single server, or a cluster of three
/// primaries and three replicas on loopback. Everything the benchmark reads from it (command stats, CPU, keys,
/// memory) is summed over the primaries serving at the time of reading.
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

    /// <summary>The cluster this run started, to fail a primary over; null on a single server or in a replica host.</summary>
    public RedisCluster? Cluster => _owned as RedisCluster;

    /// <summary>
    /// A Redis Cluster on loopback owned by this run: 3 primaries and a replica of each, fsync once a second; when the
    /// run fails a primary, its nodes notice within seconds, as a cluster tuned for quick failover does.
    /// </summary>
    public static async Task<MeasuredRedis> StartClusterAsync(bool quickFailover)
    {
        var cluster = await RedisCluster.StartAsync(quickFailover ? RedisCluster.QuickFailover : null);
        return await ConnectAsync(cluster.Endpoints, cluster);
    }

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

    /// <summary>Resets every node's counters, replicas' too: one may be a primary by the time they are read.</summary>
    public async Task ResetStatsAsync()
    {
        foreach (var server in _admin.GetServers().Where(server => server.IsConnected))
        {
            await server.ConfigResetStatisticsAsync();
        }
    }

    /// <summary>
    /// Calls per command since the last reset, and the time Redis spent in them, counting those run inside scripts
    /// (whose time is also in the script's), without connection upkeep.
    /// </summary>
    public async Task<Dictionary<string, CommandStat>> CommandCallsAsync()
    {
        var calls = new Dictionary<string, CommandStat>(StringComparer.Ordinal);
        foreach (var server in Primaries())
        {
            foreach (var stat in (await server.InfoAsync("commandstats")).SelectMany(group => group))
            {
                var name = stat.Key["cmdstat_".Length..];
                if (!NotTurnWork.Contains(name) && !name.Contains('|', StringComparison.Ordinal))
                {
                    // e.g. calls=120,usec=3400,usec_per_call=28.33,rejected_calls=0,failed_calls=0
                    var fields = stat.Value.Split(',').Select(field => field.Split('=')).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
                    var counted = new CommandStat(long.Parse(fields["calls"], CultureInfo.InvariantCulture), long.Parse(fields["usec"], CultureInfo.InvariantCulture));
                    calls[name] = calls.GetValueOrDefault(name) + counted;
                }
            }
        }

        return calls;
    }

    /// <summary>CPU time each Redis process has used so far (system and user), in seconds, by node.</summary>
    public async Task<Dictionary<string, double>> CpuSecondsAsync()
    {
        var used = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var server in _admin.GetServers().Where(server => server.IsConnected))
        {
            used[server.EndPoint.ToString()!] = (await server.InfoAsync("cpu")).SelectMany(group => group)
                .Where(stat => stat.Key is "used_cpu_sys" or "used_cpu_user")
                .Sum(stat => double.Parse(stat.Value, CultureInfo.InvariantCulture));
        }

        return used;
    }

    /// <summary>
    /// CPU the primaries serving now have used since <paramref name="before"/>. After a failover that includes the
    /// promoted replica's work before its promotion and leaves out the failed primary's.
    /// </summary>
    public async Task<double> CpuSecondsSinceAsync(Dictionary<string, double> before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var now = await CpuSecondsAsync();
        return Primaries().Select(server => server.EndPoint.ToString()!).Where(now.ContainsKey).Sum(node => now[node] - before.GetValueOrDefault(node));
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

    /// <summary>Every field and member counted (<c>SAMPLES 0</c>): by default Redis estimates from five of them.</summary>
    public async Task<long> MemoryUsageAsync(string key) =>
        (long)await _admin.GetDatabase().ExecuteAsync("MEMORY", "USAGE", (RedisKey)key, "SAMPLES", 0);

    /// <summary>The length of each field's value in a hash.</summary>
    public async Task<Dictionary<string, long>> HashFieldLengthsAsync(string key) =>
        (await _admin.GetDatabase().HashGetAllAsync(key)).ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.Length(), StringComparer.Ordinal);

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

    /// <summary>Asks the nodes who serves what again, so readings after a failover go to the primaries of now.</summary>
    public async Task RefreshTopologyAsync() => await _admin.ConfigureAsync();

    private IEnumerable<IServer> Primaries() => _admin.GetServers().Where(server => server.IsConnected && !server.IsReplica);
}

/// <summary>A command's calls and the microseconds Redis spent in them.</summary>
public readonly record struct CommandStat(long Calls, long Microseconds)
{
    public static CommandStat operator +(CommandStat left, CommandStat right) => new(left.Calls + right.Calls, left.Microseconds + right.Microseconds);
}
