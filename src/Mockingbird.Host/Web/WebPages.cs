using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Web;
using Mockingbird.Experiments;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Host.Web;

/// <summary>
/// The web page: the experiments dashboard and each candidate's progress, opened only through signed links. Off by
/// default; with <c>Web:Enabled</c> false nothing is mapped and the chat commands say the page is off.
/// </summary>
public static partial class WebPages
{
    public const string DashboardPath = "/web/dashboard";

    public const string ProgressPath = "/web/progress";

    /// <summary>
    /// The token travels in the query: OpenTelemetry's ASP.NET Core traces redact query values, and the request log
    /// line that would print it is silenced below.
    /// </summary>
    public const string TokenParameter = "t";

    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static IServiceCollection AddWebPages(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(WebOptions.Section);
        if (!section.GetValue<bool>(nameof(WebOptions.Enabled)))
        {
            services.TryAddSingleton<IDashboardLinks, NoDashboardLinks>();
            return services;
        }

        services.AddOptions<WebOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new PageTokens(sp.GetRequiredService<IOptions<WebOptions>>().Value.Key));
        services.Replace(ServiceDescriptor.Singleton<IDashboardLinks, DashboardLinks>());
        services.AddSingleton<RefusedLinkLog>();

        // Hosting logs each request's URL at Information, which would write every link's token to the log. A rule
        // naming a provider outranks one for all providers (Logging:Console:LogLevel:Default, say), so the rule is
        // repeated for every provider a rule names, after configuration has added its own.
        services.PostConfigure<LoggerFilterOptions>(filters =>
        {
            foreach (var provider in filters.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList())
                filters.Rules.Add(new LoggerFilterRule(provider, HostingDiagnostics, LogLevel.Warning, filter: null));
        });
        return services;
    }

    public static WebApplication MapWebPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        if (!options.Enabled)
            return app;

        // Links carry the public URL's path (https://example.com/mockingbird/web/...). A proxy in front may pass that
        // path on or strip it; the pages answer either way.
        if (PathString.FromUriComponent(options.BaseUrl!.AbsolutePath.TrimEnd('/')) is { HasValue: true } prefix)
        {
            app.UsePathBase(prefix);
            app.UseRouting();
        }

        // HEAD too: link checkers and previews ask with it, and get the status a browser would.
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods(DashboardPath, methods, DashboardAsync);
        app.MapMethods(ProgressPath, methods, ProgressAsync);
        return app;
    }

    private static async Task DashboardAsync(HttpContext context, PageTokens tokens, TimeProvider time, RefusedLinkLog refusals, IServiceProvider services)
    {
        if (Check(context, tokens, time, WebPage.Dashboard, refusals) is null)
        {
            await WriteAsync(context, StatusCodes.Status403Forbidden, HtmlPage.Forbidden);
            return;
        }

        // The experiments may not be part of this bot; the page then says none are running.
        IReadOnlyList<ExperimentReport> reports = services.GetService<ExperimentReports>() is { } all ? await all.AllAsync(context.RequestAborted) : [];
        await WriteAsync(context, StatusCodes.Status200OK, DashboardPage.Render(reports, time.GetUtcNow()));
    }

    private static async Task ProgressAsync(HttpContext context, PageTokens tokens, TimeProvider time, RefusedLinkLog refusals, InterviewService interviews)
    {
        if (Check(context, tokens, time, WebPage.Progress, refusals) is not { } scope)
        {
            await WriteAsync(context, StatusCodes.Status403Forbidden, HtmlPage.Forbidden);
            return;
        }

        var history = await interviews.HistoryAsync(scope.Subject, context.RequestAborted);
        await WriteAsync(context, StatusCodes.Status200OK, ProgressPage.Render(history, time.GetUtcNow()));
    }

    private static PageScope? Check(HttpContext context, PageTokens tokens, TimeProvider time, WebPage page, RefusedLinkLog refusals)
    {
        var given = context.Request.Query[TokenParameter];
        var check = tokens.Check(given.Count == 1 ? given[0] : null, page, time.GetUtcNow());
        if (check.Refusal is { } refusal)
            refusals.Refused(page, refusal);
        return check.Scope;
    }

    private static async Task WriteAsync(HttpContext context, int status, string html)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        var headers = response.Headers;
        headers.ContentSecurityPolicy = HtmlPage.ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        await response.WriteAsync(html, context.RequestAborted);
    }

}
