using System.Buffers.Text;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Web;
using Mockingbird.Host.Bot;
using Mockingbird.Host.Web;
using Mockingbird.Testing;

namespace Mockingbird.Host.Tests.Web;

// Bots read MOCKINGBIRD_ environment variables, which CLI tests set for a call.
[Collection(nameof(CliTests))]
public sealed class WebPagesTests
{
    [Fact]
    public async Task An_admins_link_opens_the_dashboard_with_each_arm_its_metrics_the_decision_stops_breaches_and_three_charts()
    {
        await using var bot = await WebBot.StartAsync();

        using var response = await bot.Http.GetAsync(bot.Local(bot.Links.ForDashboard("admin-1")));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("judge-theory-v2: prompt judge-theory", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Decision:</strong> v2 vs v1", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">v1</th><th scope=\"col\">v2</th><th scope=\"col\">v3</th>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Status</th><td>baseline</td><td>running</td><td>stopped</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<td>50% (15 of 30)</td><td>80% (24 of 30)</td>", html, StringComparison.Ordinal);
        Assert.Contains("Latency p95", html, StringComparison.Ordinal);
        Assert.Contains("Cost per feedback", html, StringComparison.Ordinal);
        Assert.Contains("Back within 7 days", html, StringComparison.Ordinal);
        Assert.Contains("stopped 2025-06-02 09:00 UTC by admin-42: too terse &lt;i&gt;per&lt;/i&gt; the reviewers", html, StringComparison.Ordinal);
        Assert.Contains("<strong>v2</strong> (p95-latency)", html, StringComparison.Ordinal);
        Assert.Equal(3, Count(html, "<svg "));
        Assert.Contains("id=\"x1-share-title\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"x1-cost-title\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"x1-latency-title\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_candidates_link_opens_their_own_progress_and_nobody_elses()
    {
        await using var bot = await WebBot.StartAsync();

        var html = await bot.Http.GetStringAsync(bot.Local(bot.Links.ForProgress(WebBot.Alice)));

        Assert.Contains("<h1>Your progress</h1>", html, StringComparison.Ordinal);
        Assert.Contains("3 completed interviews", html, StringComparison.Ordinal);
        Assert.Contains("attention &lt;b&gt;heads&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>heads</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(WebBot.BobTopic, html, StringComparison.Ordinal);
        Assert.Equal(3, Count(html, "<svg "));
        Assert.Equal(3, Count(html, "<tr><th scope=\"row\">2025-06-0"));
    }

    [Fact]
    public async Task A_missing_malformed_forged_tampered_misdirected_or_expired_link_gets_403_and_shows_nothing()
    {
        await using var bot = await WebBot.StartAsync();
        var alice = bot.Local(bot.Links.ForProgress(WebBot.Alice));
        var admin = bot.Local(bot.Links.ForDashboard("admin-1"));
        var aliceToken = PageTokensTests.TokenOf(alice);
        var parts = aliceToken.Split('.');
        var bobScopeWithAlicesSignature = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("progress:" + WebBot.Bob)) + "." + parts[1] + "." + parts[2];
        var otherKey = new PageTokens(Encoding.UTF8.GetBytes("an-attackers-key-0123456789-abcdefghijklmnop")).Issue(new PageScope(WebPage.Progress, WebBot.Bob), bot.Time.GetUtcNow().AddHours(1));

        string[] refused =
        [
            "web/progress",
            "web/dashboard",
            "web/progress?t=",
            "web/progress?t=garbage",
            $"web/progress?t={aliceToken[..^1]}",
            $"web/progress?t={bobScopeWithAlicesSignature}",
            $"web/progress?t={otherKey}",
            $"web/progress?t={aliceToken}&t={aliceToken}",
            $"web/dashboard?t={aliceToken}",
            $"web/progress?t={PageTokensTests.TokenOf(admin)}",
        ];
        foreach (var path in refused)
            await AssertRefusedAsync(bot, path);

        Assert.Equal(HttpStatusCode.OK, (await bot.Http.GetAsync(alice)).StatusCode);
        bot.Time.Advance(TimeSpan.FromHours(24));
        await AssertRefusedAsync(bot, alice.PathAndQuery.TrimStart('/'));
        await AssertRefusedAsync(bot, admin.PathAndQuery.TrimStart('/'));
    }

    [Fact]
    public async Task Every_answer_forbids_scripts_referrers_caching_sniffing_and_framing()
    {
        await using var bot = await WebBot.StartAsync();

        foreach (var link in new[] { bot.Local(bot.Links.ForDashboard("admin-1")), bot.Local(bot.Links.ForProgress(WebBot.Alice)), new Uri(bot.Address, "web/progress?t=forged") })
        {
            using var response = await bot.Http.GetAsync(link);
            var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.StartsWith("default-src 'none'; img-src 'self' data:; style-src 'sha256-", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_public_address_with_a_path_gives_links_that_open_whether_the_proxy_passes_the_path_on_or_strips_it()
    {
        await using var bot = await WebBot.StartAsync(publicBaseUrl: WebBot.PublicBaseUrl + "study/bot");
        var link = bot.Local(bot.Links.ForProgress(WebBot.Alice));

        using var passedOn = await bot.Http.GetAsync(link);
        using var stripped = await bot.Http.GetAsync(new Uri(bot.Address, link.PathAndQuery["/study/bot/".Length..]));

        Assert.StartsWith("/study/bot/web/progress?t=", link.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (passedOn.StatusCode, stripped.StatusCode));
        Assert.Contains("<h1>Your progress</h1>", await passedOn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_head_request_gets_the_status_and_headers_a_browser_would_and_no_page()
    {
        await using var bot = await WebBot.StartAsync();

        using var askValid = new HttpRequestMessage(HttpMethod.Head, bot.Local(bot.Links.ForProgress(WebBot.Alice)));
        using var askForged = new HttpRequestMessage(HttpMethod.Head, new Uri(bot.Address, "web/progress?t=forged"));
        using var valid = await bot.Http.SendAsync(askValid);
        using var forged = await bot.Http.SendAsync(askForged);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (valid.StatusCode, forged.StatusCode));
        Assert.Equal("no-store", valid.Headers.CacheControl?.ToString());
        Assert.Empty(await valid.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task With_the_web_page_off_nothing_is_served_and_the_bot_sends_no_links()
    {
        await using var bot = await WebBot.StartAsync(enabled: false);
        var token = new PageTokens(Encoding.UTF8.GetBytes(WebBot.SigningKey)).Issue(new PageScope(WebPage.Dashboard, "admin-1"), bot.Time.GetUtcNow().AddHours(1));

        Assert.Equal(HttpStatusCode.NotFound, (await bot.Http.GetAsync(new Uri(bot.Address, $"web/dashboard?t={token}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bot.Http.GetAsync(new Uri(bot.Address, "web/progress"))).StatusCode);
        Assert.IsType<NoDashboardLinks>(bot.Links);
        Assert.False(bot.Links.Enabled);
    }

    [Fact]
    public async Task Refused_links_are_logged_once_a_minute_at_most_with_a_count_of_those_in_between()
    {
        var logs = new RecordingLoggerProvider();
        await using var bot = await WebBot.StartAsync(logs: logs);

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Forbidden, (await bot.Http.GetAsync(new Uri(bot.Address, "web/progress?t=forged"))).StatusCode);
        var withinAMinute = logs.Entries.Count(e => e.Contains("Refused a link", StringComparison.Ordinal));
        bot.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Forbidden, (await bot.Http.GetAsync(new Uri(bot.Address, "web/dashboard"))).StatusCode);

        Assert.Equal(1, withinAMinute);
        var refused = logs.Entries.Where(e => e.Contains("Refused a link", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, refused.Count);
        Assert.Contains("4 more refused since the last line", refused[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_is_never_written_to_the_log_even_at_trace_level()
    {
        var logs = new RecordingLoggerProvider();
        string[] tokens;
        await using (var bot = await WebBot.StartAsync(logs: logs))
        {
            var links = new[] { bot.Local(bot.Links.ForDashboard("admin-1")), bot.Local(bot.Links.ForProgress(WebBot.Alice)) };
            tokens = [.. links.Select(PageTokensTests.TokenOf)];
            foreach (var link in links)
                Assert.Equal(HttpStatusCode.OK, (await bot.Http.GetAsync(link)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await bot.Http.GetAsync(new Uri(bot.Address, $"web/dashboard?t={tokens[1]}"))).StatusCode);
            await logs.WaitForAsync("Refused a link to the Dashboard page: OutOfScope");
        }

        Assert.NotEmpty(logs.Entries);
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(logs.Entries, e => e.Contains(token, StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Entries, e => e.Contains(token.Split('.')[2], StringComparison.Ordinal));
        }

        Assert.DoesNotContain(logs.Entries, e => e.Contains(WebBot.SigningKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bot_with_the_web_page_on_but_no_url_or_key_fails_at_start_naming_both_settings()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var app = await BotHost.BuildAsync(BotPlatform.Discord, [new("Urls", "http://127.0.0.1:0"), new("Discord:BotToken", "token"), new("Discord:ApplicationId", "123"), new("Web:Enabled", "true")]);
            await app.StartAsync();
        });

        var failures = Assert.IsType<OptionsValidationException>(ex).Failures.ToList();
        Assert.Contains(failures, f => f.Contains("Web:PublicBaseUrl is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Web:SigningKey is required", StringComparison.Ordinal));
    }

    private static async Task AssertRefusedAsync(WebBot bot, string path)
    {
        using var response = await bot.Http.GetAsync(new Uri(bot.Address, path));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path} answered {(int)response.StatusCode}, not 403");
        Assert.Equal(HtmlPage.Forbidden, html);
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;
}
