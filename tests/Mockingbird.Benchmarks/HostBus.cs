using System.Collections.Concurrent;
using System.Globalization;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Benchmarks;

/// <summary>
/// How the host processes of one run talk without touching the measured Redis: a second, small redis-server. It
/// stands in for the chat platform (feedback a worker posts in one process reaches its candidate in another, as a
/// post reaches a user whichever replica sent it) and carries the run's start and stop signals.
/// </summary>
public sealed class HostBus : IAsyncDisposable
{
    private const string Control = "control";

    private readonly ConnectionMultiplexer _connection;
    private readonly RedisServer? _owned;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    private HostBus(string endpoint, ConnectionMultiplexer connection, RedisServer? owned)
    {
        Endpoint = endpoint;
        _connection = connection;
        _owned = owned;
    }

    public string Endpoint { get; }

    public static async Task<HostBus> StartAsync()
    {
        var server = await RedisServer.StartAsync(appendFsync: "no");
        return await ConnectAsync(server.Endpoint, server);
    }

    public static Task<HostBus> AttachAsync(string endpoint) => ConnectAsync(endpoint, owned: null);

    /// <summary>Hands deliveries meant for this host's candidates to <paramref name="arrived"/> (candidate, delivery key, whether the interview ended).</summary>
    public async Task ListenForDeliveriesAsync(int host, Action<string, string, bool> arrived) =>
        await _connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(DeliveryChannel(host)), (_, message) =>
        {
            var parts = message.ToString().Split('\t');
            arrived(parts[0], parts[1], parts[2] == "1");
        });

    public void Deliver(int host, string candidate, string deliveryKey, bool ended) =>
        _connection.GetSubscriber().Publish(RedisChannel.Literal(DeliveryChannel(host)), $"{candidate}\t{deliveryKey}\t{(ended ? 1 : 0)}", CommandFlags.FireAndForget);

    public async Task ListenForSignalsAsync() =>
        await _connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Control), (_, message) => Signal(message.ToString()).TrySetResult());

    public async Task SendAsync(string signal) =>
        await _connection.GetSubscriber().PublishAsync(RedisChannel.Literal(Control), signal);

    /// <summary>Waits for a signal sent by any process; a run that stalls fails with which signal never came.</summary>
    public async Task WaitAsync(string signal, TimeSpan timeout)
    {
        try
        {
            await Signal(signal).Task.WaitAsync(timeout, TimeProvider.System);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Timed out after {timeout.TotalSeconds:0} s waiting for the signal '{signal}' from another host process."));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }

    private static string DeliveryChannel(int host) => string.Create(CultureInfo.InvariantCulture, $"delivered:{host}");

    private TaskCompletionSource Signal(string name) =>
        _signals.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static async Task<HostBus> ConnectAsync(string endpoint, RedisServer? owned)
    {
        var options = ConfigurationOptions.Parse(endpoint);
        options.AbortOnConnectFail = false;
        return new HostBus(endpoint, await ConnectionMultiplexer.ConnectAsync(options), owned);
    }
}
