using System.ComponentModel.DataAnnotations;

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

    private static List<ValidationResult> Problems(RedisOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
