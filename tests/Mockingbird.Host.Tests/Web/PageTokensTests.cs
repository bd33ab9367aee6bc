using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Host.Web;

namespace Mockingbird.Host.Tests.Web;

public sealed class PageTokensTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a-key-for-signing-page-links-in-tests-0123456789");
    private readonly PageTokens _tokens = new(Key);

    [Fact]
    public void A_token_opens_the_page_it_was_made_for_and_names_whom_it_was_made_for()
    {
        var token = _tokens.Issue(new PageScope(WebPage.Progress, "discord:1001"), Now.AddHours(1));

        var check = _tokens.Check(token, WebPage.Progress, Now);

        Assert.True(check.Granted);
        Assert.Equal(new PageScope(WebPage.Progress, "discord:1001"), check.Scope);
    }

    [Fact]
    public void A_token_for_one_page_does_not_open_the_other()
    {
        var progress = _tokens.Issue(new PageScope(WebPage.Progress, "discord:1001"), Now.AddHours(1));
        var dashboard = _tokens.Issue(new PageScope(WebPage.Dashboard, "admin-1"), Now.AddHours(1));

        Assert.Equal(TokenRefusal.OutOfScope, _tokens.Check(progress, WebPage.Dashboard, Now).Refusal);
        Assert.Equal(TokenRefusal.OutOfScope, _tokens.Check(dashboard, WebPage.Progress, Now).Refusal);
    }

    [Fact]
    public void A_token_works_until_its_expiry_and_not_from_that_second_on_the_fake_clock()
    {
        var clock = new FakeTimeProvider(Now);
        var token = _tokens.Issue(new PageScope(WebPage.Progress, "c-1"), Now.AddHours(24));

        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.True(_tokens.Check(token, WebPage.Progress, clock.GetUtcNow()).Granted);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenRefusal.Expired, _tokens.Check(token, WebPage.Progress, clock.GetUtcNow()).Refusal);
    }

    [Fact]
    public void A_token_with_a_changed_signature_is_refused_as_forged()
    {
        var token = _tokens.Issue(new PageScope(WebPage.Progress, "c-1"), Now.AddHours(1));
        var mac = Base64Url.DecodeFromChars(token.Split('.')[2]);
        mac[0] ^= 1;

        var forged = string.Join('.', token.Split('.')[..2]) + "." + Base64Url.EncodeToString(mac);

        Assert.Equal(TokenRefusal.Forged, _tokens.Check(forged, WebPage.Progress, Now).Refusal);
    }

    [Fact]
    public void A_token_whose_candidate_was_changed_is_refused_as_forged()
    {
        var parts = _tokens.Issue(new PageScope(WebPage.Progress, "discord:1001"), Now.AddHours(1)).Split('.');

        var tampered = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("progress:discord:2002")) + "." + parts[1] + "." + parts[2];

        Assert.Equal(TokenRefusal.Forged, _tokens.Check(tampered, WebPage.Progress, Now).Refusal);
    }

    [Fact]
    public void A_token_whose_expiry_was_pushed_back_is_refused_as_forged()
    {
        var parts = _tokens.Issue(new PageScope(WebPage.Progress, "c-1"), Now.AddHours(1)).Split('.');

        var extended = parts[0] + "." + (long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) + 86_400) + "." + parts[2];

        Assert.Equal(TokenRefusal.Forged, _tokens.Check(extended, WebPage.Progress, Now.AddHours(2)).Refusal);
    }

    [Fact]
    public void A_token_signed_with_another_key_is_refused_as_forged()
    {
        var other = new PageTokens(Encoding.UTF8.GetBytes("another-key-for-signing-page-links-0123456789"));

        var token = other.Issue(new PageScope(WebPage.Dashboard, "admin-1"), Now.AddHours(1));

        Assert.Equal(TokenRefusal.Forged, _tokens.Check(token, WebPage.Dashboard, Now).Refusal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(44)]
    public void A_truncated_token_is_refused(int charactersCut)
    {
        var token = _tokens.Issue(new PageScope(WebPage.Progress, "c-1"), Now.AddHours(1));

        var check = _tokens.Check(token[..^charactersCut], WebPage.Progress, Now);

        Assert.False(check.Granted);
        Assert.Contains(check.Refusal, new TokenRefusal?[] { TokenRefusal.Malformed, TokenRefusal.Forged });
    }

    [Theory]
    [InlineData(null, TokenRefusal.Missing)]
    [InlineData("", TokenRefusal.Missing)]
    [InlineData("not-a-token", TokenRefusal.Malformed)]
    [InlineData("a.b.c", TokenRefusal.Malformed)]
    [InlineData("a.123.c.d", TokenRefusal.Malformed)]
    [InlineData("cHJvZ3Jlc3M6Yy0x.-5.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TokenRefusal.Malformed)]
    public void Something_that_is_not_a_token_is_refused_before_any_part_is_trusted(string? token, TokenRefusal refusal) =>
        Assert.Equal(refusal, _tokens.Check(token, WebPage.Progress, Now).Refusal);

    [Fact]
    public void A_key_shorter_than_32_bytes_is_not_accepted() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PageTokens(new byte[31]));

    [Fact]
    public void Links_start_with_the_public_url_and_last_a_day_for_a_candidate_and_an_hour_for_an_admin()
    {
        var clock = new FakeTimeProvider(Now);
        var options = new WebOptions { Enabled = true, PublicBaseUrl = "https://bot.example/mockingbird", SigningKey = Encoding.UTF8.GetString(Key) };
        var links = new DashboardLinks(Options.Create(options), _tokens, clock);

        var progress = links.ForProgress("c-1");
        var dashboard = links.ForDashboard("admin-1");

        Assert.StartsWith("https://bot.example/mockingbird/web/progress?t=", progress.AbsoluteUri, StringComparison.Ordinal);
        Assert.StartsWith("https://bot.example/mockingbird/web/dashboard?t=", dashboard.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal((TimeSpan.FromHours(24), TimeSpan.FromHours(1)), (links.ProgressLifetime, links.DashboardLifetime));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(TokenRefusal.Expired, _tokens.Check(TokenOf(dashboard), WebPage.Dashboard, clock.GetUtcNow()).Refusal);
        Assert.True(_tokens.Check(TokenOf(progress), WebPage.Progress, clock.GetUtcNow()).Granted);
        clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(TokenRefusal.Expired, _tokens.Check(TokenOf(progress), WebPage.Progress, clock.GetUtcNow()).Refusal);
    }

    [Fact]
    public void Options_turned_on_without_a_url_or_a_long_enough_key_name_each_setting_and_never_the_key()
    {
        var missing = Validate(new WebOptions { Enabled = true });
        var weak = Validate(new WebOptions { Enabled = true, PublicBaseUrl = "bot.example", SigningKey = "short-secret-value" });
        var off = Validate(new WebOptions());

        Assert.Contains(missing, m => m.StartsWith("Web:PublicBaseUrl is required", StringComparison.Ordinal));
        Assert.Contains(missing, m => m.StartsWith("Web:SigningKey is required", StringComparison.Ordinal));
        Assert.Contains(weak, m => m.StartsWith("Web:PublicBaseUrl must be an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains(weak, m => m.StartsWith("Web:SigningKey is too short", StringComparison.Ordinal));
        Assert.DoesNotContain(weak, m => m.Contains("short-secret-value", StringComparison.Ordinal));
        Assert.Empty(off);
    }

    internal static string TokenOf(Uri link) => Uri.UnescapeDataString(link.Query[(link.Query.IndexOf("t=", StringComparison.Ordinal) + 2)..]);

    private static List<string> Validate(WebOptions options) =>
        [.. options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(r => r.ErrorMessage!)];
}
