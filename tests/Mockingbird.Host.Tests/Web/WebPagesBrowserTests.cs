using Microsoft.Playwright;

namespace Mockingbird.Host.Tests.Web;

/// <summary>The pages as a person sees them: a real headless chromium on a phone-sized screen, with JavaScript off.</summary>
[Collection(nameof(CliTests))]
public sealed class WebPagesBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task The_dashboard_renders_every_chart_with_its_data_and_the_arms_table_without_javascript()
    {
        await using var bot = await WebBot.StartAsync();
        var (context, page, console) = await chromium.OpenPhoneAsync();
        await using var _ = context;

        var response = await page.GotoAsync(bot.Local(bot.Links.ForDashboard("admin-1")).AbsoluteUri);

        Assert.Equal(200, response!.Status);
        Assert.Equal("Prompt experiments", await page.Locator("h1").InnerTextAsync());
        var charts = page.Locator("figure svg[role=img]");
        Assert.Equal(3, await charts.CountAsync());
        foreach (var (chart, title) in new[] { (0, "Candidates finding their feedback helpful per arm"), (1, "Cost per feedback per arm"), (2, "Judge latency p95 per arm") })
        {
            var svg = charts.Nth(chart);
            Assert.Equal(title, await svg.Locator("title").First.TextContentAsync());
            Assert.Equal(3, await svg.Locator("path.line").CountAsync());
            await AssertFitsAsync(svg, 390);
        }

        Assert.Equal(3, await charts.Nth(0).Locator("path.band").CountAsync());
        Assert.Equal("Arms of judge-theory-v2, counted since it began", await page.Locator("table caption").InnerTextAsync());
        Assert.Equal(["Metric", "v1", "v2", "v3"], await page.Locator("table thead th").AllInnerTextsAsync());
        Assert.Contains("not enough data yet", await page.Locator(".verdict").First.InnerTextAsync(), StringComparison.Ordinal);
        AssertNoContentSecurityComplaint(console);
    }

    [Fact]
    public async Task A_candidates_progress_page_renders_its_charts_and_last_interviews_readable_on_a_phone()
    {
        await using var bot = await WebBot.StartAsync();
        var (context, page, console) = await chromium.OpenPhoneAsync();
        await using var _ = context;

        var response = await page.GotoAsync(bot.Local(bot.Links.ForProgress(WebBot.Alice)).AbsoluteUri);

        Assert.Equal(200, response!.Status);
        Assert.Equal("Your progress", await page.Locator("h1").InnerTextAsync());
        var stages = page.Locator("svg#stage-chart, svg[aria-labelledby^='stage-chart']");
        Assert.Equal(1, await stages.CountAsync());
        Assert.Equal(["Theory", "System design"], await stages.Locator("g.legend text").AllTextContentsAsync());
        Assert.Equal(6, await stages.Locator("circle.point").CountAsync());
        await AssertFitsAsync(stages, 390);
        var topics = page.Locator("svg[aria-labelledby^='topic-chart']");
        Assert.Equal(2, await topics.Locator("path.line").CountAsync());
        var dimensions = page.Locator("svg[aria-labelledby^='dimension-chart']");
        Assert.Equal(["coverage", "serving", "trade-offs"], await dimensions.Locator("g.legend text").AllTextContentsAsync());
        Assert.Equal(9, await dimensions.Locator("circle.point").CountAsync());
        Assert.Equal(3, await page.Locator("table tbody tr").CountAsync());
        Assert.Equal("Your last 3 interviews, newest first", await page.Locator("table caption").InnerTextAsync());
        Assert.StartsWith("2025-06-03", await page.Locator("table tbody tr th").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("attention <b>heads</b>", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("b").CountAsync());
        AssertNoContentSecurityComplaint(console);
    }

    [Fact]
    public async Task A_candidate_cannot_open_another_candidates_page_with_their_own_link()
    {
        await using var bot = await WebBot.StartAsync();
        var (context, page, _) = await chromium.OpenPhoneAsync();
        await using var __ = context;
        var alice = bot.Local(bot.Links.ForProgress(WebBot.Alice));
        var parts = PageTokensTests.TokenOf(alice).Split('.');
        var asBob = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes("progress:" + WebBot.Bob)) + "." + parts[1] + "." + parts[2];

        var response = await page.GotoAsync(new Uri(bot.Address, $"web/progress?t={asBob}").AbsoluteUri);

        Assert.Equal(403, response!.Status);
        Assert.Equal("This link is not valid", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await page.Locator("svg").CountAsync());
        Assert.DoesNotContain(WebBot.BobTopic, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_link_gets_403_in_the_browser()
    {
        await using var bot = await WebBot.StartAsync();
        var (context, page, _) = await chromium.OpenPhoneAsync();
        await using var __ = context;
        var link = bot.Local(bot.Links.ForProgress(WebBot.Alice)).AbsoluteUri;
        Assert.Equal(200, (await page.GotoAsync(link))!.Status);

        bot.Time.Advance(TimeSpan.FromHours(24));
        var response = await page.GotoAsync(link);

        Assert.Equal(403, response!.Status);
        Assert.Equal("This link is not valid", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await page.Locator("table").CountAsync());
    }

    /// <summary>The chart shrinks to the screen rather than making the page scroll sideways.</summary>
    private static async Task AssertFitsAsync(ILocator element, int viewportWidth)
    {
        var box = await element.BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException("The chart is not laid out.");
        Assert.True(box.Width > 200 && box.X + box.Width <= viewportWidth, $"The chart spans {box.X}..{box.X + box.Width} px on a {viewportWidth} px screen.");
    }

    /// <summary>A style the policy refused would show as a console error even with JavaScript off.</summary>
    private static void AssertNoContentSecurityComplaint(List<string> console)
    {
        lock (console)
            Assert.DoesNotContain(console, m => m.Contains("Content Security Policy", StringComparison.Ordinal));
    }
}
