using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Sessions.Redis.Tests;

public sealed class RedisOptionsTests
{
    [Theory]
    [InlineData("localhost:6379")]
    [InlineData("redis-1:6379,redis-2:6379,password=secret,ssl=true,abortConnect=false")]
    public void A_configuration_string_the_client_reads_is_valid(string configuration) =>
        Assert.Empty(Problems(new RedisOptions { Configuration = configuration }));

    [Fact]
    public void A_configuration_string_with_an_unknown_keyword_is_refused_naming_the_setting_and_the_keyword()
    {
        var problem = Assert.Single(Problems(new RedisOptions { Configuration = "localhost:6379,password=secret,colour=blue" }));

        Assert.StartsWith("Redis:Configuration could not be read", problem.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("colour", problem.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", problem.ErrorMessage, StringComparison.Ordinal);
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
