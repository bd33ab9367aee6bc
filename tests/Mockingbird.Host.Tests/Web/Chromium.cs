using Microsoft.Playwright;

namespace Mockingbird.Host.Tests.Web;

/// <summary>
/// Debian's chromium driven by Playwright's bundled node driver, one browser for a test class. Playwright's own browser
/// download is not used. A machine without chromium fails the tests and says how to get it.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's chromium at {ExecutablePath}: run tests/run.sh, which installs it, or `sudo apt-get install -y chromium`.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A phone-sized page with JavaScript off, recording what the console reports (a refused style, say).</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Console)> OpenPhoneAsync()
    {
        var context = await Browser.NewContextAsync(new()
        {
            JavaScriptEnabled = false,
            ViewportSize = new() { Width = 390, Height = 844 },
            IsMobile = true,
        });
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            lock (console)
                console.Add(message.Text);
        };
        return (context, page, console);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
