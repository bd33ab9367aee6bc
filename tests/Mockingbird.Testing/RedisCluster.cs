using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mockingbird.Testing;

/// <summary>
/// A real Redis Cluster on loopback: three primaries and a replica of each, made by <c>redis-cli --cluster create</c>,
/// owned by the fixture that started it. Nodes keep an append-only file fsynced every second, as production usually
/// runs, and notice a dead peer within the node timeout it was started with.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    /// <summary>
    /// For a cluster whose tests fail nodes on purpose: a failover takes seconds, not the default 15 s. A cluster
    /// that must stay as it is keeps the default, so a busy shared machine cannot start a failover by itself.
    /// </summary>
    public static readonly TimeSpan QuickFailover = TimeSpan.FromSeconds(2);

    private const int Slots = 16384;
    private const int NodeCount = 6;

    /// <summary>How long forming the cluster or a failover may take on a busy machine before the fixture gives up.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _directory;
    private readonly List<RedisProcess> _nodes;

    private RedisCluster(string directory, List<RedisProcess> nodes)
    {
        _directory = directory;
        _nodes = nodes;
    }

    /// <summary>A StackExchange.Redis configuration string naming every node, as the bot is given for a cluster.</summary>
    public string Endpoints => string.Join(',', _nodes.Select(node => $"127.0.0.1:{node.Port}"));

    /// <param name="nodeTimeout">How long a node may be unreachable before its replica takes over; Redis's 15 s by default.</param>
    public static async Task<RedisCluster> StartAsync(TimeSpan? nodeTimeout = null)
    {
        var server = RedisServer.FindBinary("redis-server");
        var cli = RedisServer.FindBinary("redis-cli");
        var directory = Directory.CreateTempSubdirectory("redis-cluster-test-").FullName;
        var nodes = FreePortsWithBusPorts(NodeCount).Select(port =>
        {
            var nodeDirectory = Directory.CreateDirectory(Path.Combine(directory, port.ToString(CultureInfo.InvariantCulture))).FullName;
            return new RedisProcess(server, port, nodeDirectory,
            [
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", ((long)(nodeTimeout ?? TimeSpan.FromSeconds(15)).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                "--appendonly", "yes", "--appendfsync", "everysec",
            ]);
        }).ToList();
        var cluster = new RedisCluster(directory, nodes);
        try
        {
            await Task.WhenAll(nodes.Select(node => node.StartAsync()));
            await RunAsync(cli, ["--cluster", "create", .. nodes.Select(n => $"127.0.0.1:{n.Port}"), "--cluster-replicas", "1", "--cluster-yes"]);
            await cluster.WaitUntilHealthyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The nodes as a live node sees them now: roles change with every failover.</summary>
    public async Task<IReadOnlyList<RedisClusterNode>> NodesAsync()
    {
        var live = _nodes.First(node => node.IsRunning);
        var reply = await CommandAsync(live.Port, "CLUSTER", "NODES");
        return [.. BulkText(reply).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(RedisClusterNode.Parse)];
    }

    public async Task<IReadOnlyList<RedisClusterNode>> PrimariesAsync() => [.. (await NodesAsync()).Where(n => n.IsPrimary && !n.IsFailed)];

    public async Task<IReadOnlyList<RedisClusterNode>> ReplicasAsync() => [.. (await NodesAsync()).Where(n => !n.IsPrimary && !n.IsFailed)];

    /// <summary>The primary that serves <paramref name="key"/>'s hash slot now.</summary>
    public async Task<RedisClusterNode> PrimaryOwningAsync(string key)
    {
        var slot = await SlotOfAsync(key);
        return (await PrimariesAsync()).Single(n => n.Serves(slot));
    }

    /// <summary>
    /// kill -9 of the primary serving <paramref name="key"/>'s slot; returns it. Nothing waits here: the cluster is
    /// down for that slot until its replica is promoted (<see cref="WaitForPromotionAsync"/>).
    /// </summary>
    public async Task<RedisClusterNode> KillPrimaryOwningAsync(string key)
    {
        var primary = await PrimaryOwningAsync(key);
        await _nodes.Single(n => n.Port == primary.Port).KillAsync();
        return primary;
    }

    /// <summary>
    /// kill -9 of the replica of the primary serving <paramref name="key"/>'s slot; returns it. The primary goes on
    /// taking writes with no replica to copy them to; <see cref="RestartAsync"/> brings the replica back.
    /// </summary>
    public async Task<RedisClusterNode> KillReplicaOfPrimaryOwningAsync(string key)
    {
        var primary = await PrimaryOwningAsync(key);
        var replica = (await ReplicasAsync()).First(n => n.PrimaryId == primary.Id);
        await _nodes.Single(n => n.Port == replica.Port).KillAsync();
        return replica;
    }

    /// <summary>Waits until a live replica of <paramref name="killed"/> serves its slots as a primary; returns it.</summary>
    public Task<RedisClusterNode> WaitForPromotionAsync(RedisClusterNode killed)
    {
        ArgumentNullException.ThrowIfNull(killed);
        return Poll.ForAsync(
            async () => (await PrimariesAsync()).FirstOrDefault(n => n.Port != killed.Port && n.Slots.SequenceEqual(killed.Slots)),
            $"a replica of the killed primary on port {killed.Port} to be promoted",
            Patience);
    }

    /// <summary>
    /// Starts a killed node again from its own directory: it rejoins as a replica of the primary that took its slots.
    /// Returns once it is in sync with that primary and the cluster is healthy.
    /// </summary>
    public async Task RestartAsync(RedisClusterNode killed)
    {
        ArgumentNullException.ThrowIfNull(killed);
        var node = _nodes.Single(n => n.Port == killed.Port);
        await node.StartAsync();
        try
        {
            await Poll.UntilAsync(
                async () => (await ReplicasAsync()).Any(n => n.Port == killed.Port)
                    && (await CommandAsync(killed.Port, "INFO", "replication")).Contains("master_link_status:up", StringComparison.Ordinal),
                $"the restarted node on port {killed.Port} to rejoin as a replica in sync with its primary",
                Patience);
        }
        catch (TimeoutException ex)
        {
            // What the node itself says decides between a node that never rejoined and one that cannot sync.
            var said = node.IsRunning
                ? await CommandAsync(killed.Port, "INFO", "replication") + await CommandAsync(killed.Port, "CLUSTER", "NODES")
                : "the process has exited";
            throw new TimeoutException($"{ex.Message} The node: {said}", ex);
        }

        await WaitUntilHealthyAsync();
    }

    /// <summary>
    /// Waits until every live replica has received everything its primary had written when this was called: after
    /// it, killing a primary loses nothing acknowledged before the call.
    /// </summary>
    public async Task WaitUntilReplicasCaughtUpAsync()
    {
        var nodes = await NodesAsync();
        foreach (var replica in nodes.Where(n => !n.IsPrimary && !n.IsFailed && _nodes.Any(p => p.Port == n.Port && p.IsRunning)))
        {
            var primary = nodes.Single(n => n.Id == replica.PrimaryId);
            var written = ReplicationOffset(await CommandAsync(primary.Port, "INFO", "replication"), "master_repl_offset");
            // A replica still making its first copy of a new primary reports an offset but holds nothing yet.
            await Poll.UntilAsync(
                async () => await CommandAsync(replica.Port, "INFO", "replication") is var info
                    && info.Contains("master_link_status:up", StringComparison.Ordinal)
                    && ReplicationOffset(info, "slave_repl_offset") >= written,
                $"the replica on port {replica.Port} to be linked to its primary and reach its replication offset {written}",
                Patience);
        }
    }

    private static long ReplicationOffset(string info, string field)
    {
        var start = info.IndexOf(field + ":", StringComparison.Ordinal);
        if (start < 0)
        {
            return -1;
        }

        start += field.Length + 1;
        return long.Parse(info.AsSpan(start, info.IndexOf("\r\n", start, StringComparison.Ordinal) - start), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A manual failover (<c>CLUSTER FAILOVER</c>) of the replica of <paramref name="key"/>'s primary: the two swap
    /// roles once the replica has caught up, so nothing acknowledged is lost. Returns the new primary.
    /// </summary>
    public async Task<RedisClusterNode> FailoverAsync(string key)
    {
        var primary = await PrimaryOwningAsync(key);
        var replica = (await ReplicasAsync()).First(n => n.PrimaryId == primary.Id);
        var reply = await CommandAsync(replica.Port, "CLUSTER", "FAILOVER");
        if (!reply.StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"CLUSTER FAILOVER on port {replica.Port} answered {reply.Trim()}.");
        }

        await Poll.UntilAsync(
            async () => (await CommandAsync(replica.Port, "ROLE")).Contains("master", StringComparison.Ordinal),
            $"the replica on port {replica.Port} to become primary after CLUSTER FAILOVER",
            Patience);
        await WaitUntilHealthyAsync();
        return (await PrimariesAsync()).Single(n => n.Port == replica.Port);
    }

    /// <summary>
    /// Waits until every live node says the cluster is ok, with all 16384 slots served, agrees which primary serves
    /// each, and sees every other live node as a primary with slots or a replica: what a client needs before its
    /// commands go where they belong.
    /// </summary>
    public Task WaitUntilHealthyAsync() =>
        Poll.UntilAsync(
            async () =>
            {
                var live = _nodes.Where(n => n.IsRunning).ToList();
                var views = new List<string>();
                foreach (var node in live)
                {
                    var info = BulkText(await CommandAsync(node.Port, "CLUSTER", "INFO"));
                    if (!info.Contains("cluster_state:ok", StringComparison.Ordinal) || !info.Contains($"cluster_slots_ok:{Slots}\r\n", StringComparison.Ordinal))
                    {
                        return false;
                    }

                    var nodes = BulkText(await CommandAsync(node.Port, "CLUSTER", "NODES")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(RedisClusterNode.Parse).ToList();
                    if (nodes.Any(n => n.IsPrimary && !n.IsFailed && n.Slots.Count == 0))
                    {
                        // A node still shown as a primary without slots has not yet been told whose replica it is.
                        return false;
                    }

                    views.Add(string.Join(' ', nodes.Where(n => n.IsPrimary && !n.IsFailed && n.Slots.Count > 0).OrderBy(n => n.Port).Select(n => $"{n.Port}={string.Join(',', n.Slots)}")));
                }

                return views.Distinct(StringComparer.Ordinal).Count() == 1;
            },
            "every live cluster node to report cluster_state:ok with all 16384 slots served, and to agree on who serves them",
            Patience);

    /// <summary>Sends one command to one node (no redirection followed) and returns the raw reply.</summary>
    public static Task<string> CommandAsync(int port, params string[] parts) => RespClient.CommandAsync(port, parts);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.KillAsync();
        }

        RedisProcess.DeleteDirectory(_directory);
    }

    private async Task<int> SlotOfAsync(string key)
    {
        var reply = await CommandAsync(_nodes.First(n => n.IsRunning).Port, "CLUSTER", "KEYSLOT", key);
        return int.Parse(reply.AsSpan(1).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>The text of a bulk string reply (<c>$n\r\n…\r\n</c>).</summary>
    private static string BulkText(string reply)
    {
        if (!reply.StartsWith('$'))
        {
            throw new InvalidOperationException($"Expected a bulk string from the cluster node, got {reply.Trim()}.");
        }

        return reply[(reply.IndexOf("\r\n", StringComparison.Ordinal) + 2)..];
    }

    private static async Task RunAsync(string binary, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience, TimeProvider.System);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(binary)} {string.Join(' ', args)} failed with code {process.ExitCode}: {await output}{await error}");
        }
    }

    /// <summary>
    /// Ports free on loopback whose cluster bus port (+10000) is free too. Every listener is held until all are
    /// chosen, so no two nodes get the same pair.
    /// </summary>
    private static List<int> FreePortsWithBusPorts(int count)
    {
        var held = new List<TcpListener>();
        var ports = new List<int>();
        try
        {
            while (ports.Count < count)
            {
                var port = Random.Shared.Next(20000, 55000);
                var pair = new[] { port, port + 10000 }.Select(TryListen).ToList();
                held.AddRange(pair.OfType<TcpListener>());
                if (pair.All(listener => listener is not null))
                {
                    ports.Add(port);
                }
            }

            return ports;
        }
        finally
        {
            foreach (var listener in held)
            {
                listener.Stop();
                listener.Dispose();
            }
        }
    }

    private static TcpListener? TryListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            listener.Dispose();
            return null;
        }
    }
}

/// <summary>One line of <c>CLUSTER NODES</c>: a node's id, port, role, the primary it replicates and the slots it serves.</summary>
public sealed record RedisClusterNode(string Id, int Port, bool IsPrimary, bool IsFailed, string? PrimaryId, IReadOnlyList<string> Slots)
{
    public string Endpoint => $"127.0.0.1:{Port}";

    public static RedisClusterNode Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Trim().Split(' ');
        var address = parts[1];
        var port = int.Parse(address.AsSpan(address.LastIndexOf(':') + 1, address.IndexOf('@', StringComparison.Ordinal) - address.LastIndexOf(':') - 1), CultureInfo.InvariantCulture);
        var flags = parts[2].Split(',');
        return new RedisClusterNode(
            parts[0],
            port,
            flags.Contains("master"),
            flags.Contains("fail") || flags.Contains("fail?"),
            parts[3] == "-" ? null : parts[3],
            [.. parts.Skip(8).Where(slot => !slot.StartsWith('['))]);
    }

    public bool Serves(int slot) => Slots.Any(range =>
    {
        var bounds = range.Split('-');
        var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
        var last = bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
        return slot >= first && slot <= last;
    });
}
