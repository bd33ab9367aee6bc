using System.Net;
using Mockingbird.Testing;

namespace Mockingbird.Host.Tests.Web;

/// <summary>
/// An operator who turns one log provider up (MOCKINGBIRD_Logging__Console__LogLevel__Default=Information, say) must
/// not get every link's token in that provider's log: a provider's own level outranks a rule for all providers.
/// </summary>
public sealed class TokenLoggingTests
{
    [Fact]
    public async Task A_token_stays_out_of_a_log_provider_whose_own_level_is_set_to_information()
    {
        var logs = new RecordingLoggerProvider();
        string token;
        await using (var bot = await WebBot.StartAsync(logs: logs, moreSettings: [new($"Logging:{typeof(RecordingLoggerProvider).FullName}:LogLevel:Default", "Information")]))
        {
            var link = bot.Local(bot.Links.ForProgress(WebBot.Alice));
            token = PageTokensTests.TokenOf(link);
            Assert.Equal(HttpStatusCode.OK, (await bot.Http.GetAsync(link)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await bot.Http.GetAsync(new Uri(bot.Address, $"web/dashboard?t={token}"))).StatusCode);
            await logs.WaitForAsync("Refused a link to the Dashboard page: OutOfScope");
        }

        Assert.DoesNotContain(logs.Entries, e => e.Contains(token.Split('.')[2], StringComparison.Ordinal));
    }
}
