using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Mockingbird.Sessions.Redis.Tests;

public sealed class RedisOptionsTests
{
    [Theory]
    [InlineData("localhost:6379")]
    [InlineData("redis-1:6379,redis-2:6379,password=secret,ssl=true,abortConnect=false")]
    public void A_configuration_string_the_client_reads_is_valid(string configuration) =>
        Assert.Empty(Problems(new RedisOptions { Configuration = configuration }));

    [Theory]
    [InlineData("localhost:6379,password=secret,colour=blue")]
    [InlineData("localhost:6379,password=secret,qx7=rest")]
    public void A_configuration_string_the_client_cannot_read_is_refused_without_repeating_any_of_it(string configuration)
    {
        var problem = Assert.Single(Problems(new RedisOptions { Configuration = configuration }));

        Assert.StartsWith("Redis:Configuration could not be read", problem.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("a ',' inside a password splits it", problem.ErrorMessage, StringComparison.Ordinal);
        foreach (var piece in configuration.Split(',', '=').Where(piece => piece is not ("password" or "localhost:6379")))
        {
            Assert.DoesNotContain(piece, problem.ErrorMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_missing_configuration_says_which_setting_to_give() =>
        Assert.Contains("Set Redis:Configuration", Assert.Single(Problems(new RedisOptions())).ErrorMessage, StringComparison.Ordinal);

    [Fact]
    public void Answers_wait_for_no_replica_unless_asked_and_then_for_100_ms()
    {
        var options = new RedisOptions();

        Assert.Equal(0, options.ReplicasToAcknowledge);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.ReplicaTimeout);
    }

    [Fact]
    public void The_replica_settings_are_read_from_the_redis_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = "localhost:6379",
            ["Redis:ReplicasToAcknowledge"] = "1",
            ["Redis:ReplicaTimeout"] = "00:00:00.250",
        }).Build();
        var options = new RedisOptions();

        RedisSessionStoreServiceCollectionExtensions.Bind(options, configuration);

        Assert.Equal(1, options.ReplicasToAcknowledge);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ReplicaTimeout);
        Assert.Empty(Problems(options));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(6)]
    public void Replicas_to_acknowledge_outside_0_to_5_is_refused_by_name(int replicas) =>
        Assert.Contains(nameof(RedisOptions.ReplicasToAcknowledge), Assert.Single(Problems(new RedisOptions { Configuration = "localhost:6379", ReplicasToAcknowledge = replicas })).MemberNames);

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:05.001")]
    public void A_replica_timeout_outside_1_ms_to_5_s_is_refused_by_name(string timeout) =>
        Assert.Contains(nameof(RedisOptions.ReplicaTimeout), Assert.Single(Problems(new RedisOptions { Configuration = "localhost:6379", ReplicaTimeout = TimeSpan.Parse(timeout, CultureInfo.InvariantCulture) })).MemberNames);

    [Theory]
    [InlineData("00:00:00.001")]
    [InlineData("00:00:05")]
    public void A_replica_timeout_from_1_ms_to_5_s_is_valid(string timeout) =>
        Assert.Empty(Problems(new RedisOptions { Configuration = "localhost:6379", ReplicasToAcknowledge = 5, ReplicaTimeout = TimeSpan.Parse(timeout, CultureInfo.InvariantCulture) }));

    private static List<ValidationResult> Problems(RedisOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
