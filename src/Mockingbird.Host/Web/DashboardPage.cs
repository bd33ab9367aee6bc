using System.Globalization;
using System.Text;
using Mockingbird.Experiments;
using static Mockingbird.Host.Web.HtmlPage;

namespace Mockingbird.Host.Web;

/// <summary>
/// Every experiment on one page: its decision, each arm's metrics, stops and breaches, and charts over the looks kept.
/// The decision comes from the report's always-valid test; the band around each arm's share is a Wilson interval at
/// each look, there to show how uncertain one arm is, not to decide between arms.
/// </summary>
internal static class DashboardPage
{
    public static string Render(IReadOnlyList<ExperimentReport> reports, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var body = new StringBuilder("<main id=\"main\"><h1>Prompt experiments</h1>");
        if (reports.Count == 0)
            body.Append("<p>No experiments are running. Declare one in prompts/experiments.yaml.</p>");
        for (var i = 0; i < reports.Count; i++)
            AppendExperiment(body, reports[i], $"x{i + 1}");
        body.Append("</main>");
        body.Append(CultureInfo.InvariantCulture, $"<footer><p>As of {now.UtcDateTime:yyyy-MM-dd HH:mm} UTC. This link is yours alone and expires; ask the bot for a new one.</p></footer>");
        return Document("Prompt experiments", body.ToString());
    }

    private static void AppendExperiment(StringBuilder html, ExperimentReport report, string id)
    {
        var design = report.Design;
        html.Append(CultureInfo.InvariantCulture, $"<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{E(design.Id)}: prompt {E(design.Prompt)}</h2>");
        var decided = report.Comparisons.Any(c => c.Test.Decision != ShareDecision.NotEnoughData);
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"verdict\"><strong>Decision:</strong> {E(report.Verdict)}</p>");
        if (report.MomentNotKept)
            html.Append("<p>The store could not save the look this decision comes from, so a later report may not show it yet.</p>");
        if (ExperimentReportText.EditedTestSettings(report) is { } edited)
            html.Append(CultureInfo.InvariantCulture, $"<p>{E(edited)}</p>");
        html.Append("<dl>");
        Term(html, "Baseline", design.Baseline);
        Term(html, "Primary metric", ExperimentReportText.Name(design.Primary));
        Term(html, "Smallest difference worth detecting", string.Create(CultureInfo.InvariantCulture, $"{design.SmallestDifference * 100:0.#} points"));
        Term(html, "α", string.Create(CultureInfo.InvariantCulture, $"{design.Alpha:0.###} (always valid: looking often does not raise it)"));
        Term(html, "Planned sample", string.Create(CultureInfo.InvariantCulture, $"about {report.PlannedPerArm} per arm{(decided ? string.Empty : ", until which a decision is unlikely")}"));
        html.Append("</dl>");

        AppendArms(html, report, id);
        AppendStopsAndBreaches(html, report);

        html.Append("<h3>Over time</h3>");
        var interval = 1 - design.Alpha;
        Figure(html, new LineChart($"{id}-share", $"{Capitalised(ExperimentReportText.Name(design.Primary))} per arm", ShareSeries(report), Percent, 0, 1),
            string.Create(CultureInfo.InvariantCulture, $"Share per arm at each look; the shaded band is its {interval:0.##%} Wilson interval at that look alone. The decision above uses the always-valid test, which stays right however often it is looked at."));
        Figure(html, new LineChart($"{id}-cost", "Cost per feedback per arm", Series(report, (m, prices) => (double?)m.CostPerFeedback(prices)), Money, 0),
            "LLM cost per judged answer, priced with today's price table; an arm whose model has no price is left out.");
        Figure(html, new LineChart($"{id}-latency", "Judge latency p95 per arm", Series(report, (m, _) => m.Latency.QuantileSeconds(0.95)), Seconds, 0),
            "95% of answers were judged within this time (the upper bound of a histogram bucket).");
        html.Append("</section>");
    }

    private static void AppendArms(StringBuilder html, ExperimentReport report, string id)
    {
        var design = report.Design;
        var arms = report.Arms;
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"scroll\"><table aria-describedby=\"{id}\"><caption>Arms of {E(design.Id)}, counted since it began</caption><thead><tr><th scope=\"col\">Metric</th>");
        foreach (var arm in arms)
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{E(arm.Metrics.Arm)}</th>");
        html.Append("</tr></thead><tbody>");
        Row(html, "Status", arms, a => a.Stop is not null ? "stopped" : a.IsBaseline ? "baseline" : "running");
        Row(html, Capitalised(ExperimentReportText.Name(design.Primary)), arms, a => Share(a.Metrics.Primary(design.Primary)));
        Row(html, "Planned sample", arms, _ => string.Create(CultureInfo.InvariantCulture, $"about {report.PlannedPerArm}"));
        Row(html, "Answers judged", arms, a => Count(a.Metrics.Feedbacks));
        Row(html, "Fallback rate", arms, a => Rate(a.Metrics.FallbackRate));
        Row(html, "Schema failures per answer", arms, a => a.Metrics.SchemaFailureRate is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "–");
        Row(html, "Latency p50 (at most)", arms, a => Maybe(a.Metrics.Latency.QuantileSeconds(0.5), Seconds));
        Row(html, "Latency p95 (at most)", arms, a => Maybe(a.Metrics.Latency.QuantileSeconds(0.95), Seconds));
        Row(html, "Cost per feedback", arms, a => Maybe((double?)a.Metrics.CostPerFeedback(report.Prices), Money));
        Row(html, "Interviews started", arms, a => Count(a.Metrics.InterviewsStarted));
        Row(html, "Interviews finished", arms, a => Count(a.Metrics.InterviewsFinished));
        Row(html, "Candidates who finished one", arms, a => Share(new ShareCount(a.Metrics.CandidatesFinished, a.Metrics.Candidates)));
        Row(html, "Answers per interview", arms, a => a.Metrics.AnswersPerInterview is { } n ? n.ToString("0.0", CultureInfo.InvariantCulture) : "–");
        Row(html, "Back within 7 days", arms, a => Share(new ShareCount(a.Metrics.Returned, a.Metrics.ReturnEligible)));
        html.Append("</tbody></table></div>");
    }

    private static void AppendStopsAndBreaches(StringBuilder html, ExperimentReport report)
    {
        var stops = report.Arms.Where(a => a.Stop is not null).Select(a => a.Stop!).ToList();
        html.Append("<h3>Stopped arms</h3>");
        if (stops.Count == 0)
            html.Append("<p>No arm is stopped.</p>");
        else
        {
            html.Append("<ul>");
            foreach (var stop in stops)
                html.Append(CultureInfo.InvariantCulture, $"<li><strong>{E(stop.Version)}</strong> stopped {stop.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {E(stop.By)}: {E(stop.Reason)}. Its candidates get {E(report.Design.Baseline)} from their next answer.</li>");
            html.Append("</ul>");
        }

        html.Append("<h3>Guardrails</h3>");
        if (report.Breaches.Count == 0)
            html.Append(report.SharedBreaches.Count == 0 ? "<p>No running arm is past a guardrail.</p>" : "<p>No running arm is past a guardrail on its own.</p>");
        else
        {
            html.Append("<ul class=\"verdict alert\">");
            foreach (var breach in report.Breaches)
                html.Append(CultureInfo.InvariantCulture, $"<li><strong>{E(breach.Arm)}</strong> ({E(breach.Guardrail)}): {E(breach.Reason)}</li>");
            html.Append("</ul>");
        }

        if (report.SharedBreaches.Count > 0)
        {
            html.Append("<ul>");
            foreach (var breach in report.SharedBreaches)
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(ExperimentReportText.SharedBreach(breach))}</li>");
            html.Append("</ul>");
        }
    }

    private static List<ChartSeries> ShareSeries(ExperimentReport report)
    {
        var z = StandardNormal.Quantile(1 - report.Design.Alpha / 2);
        return [.. report.Design.Arms.Select(arm => new ChartSeries(arm.Version, [.. report.History
            .Select(look => (look.At, Count: ArmAt(look, arm.Version).Primary(report.Design.Primary)))
            .Where(p => p.Count.Total > 0)
            .Select(p => Wilson(p.At, p.Count, z))]))];
    }

    private static List<ChartSeries> Series(ExperimentReport report, Func<ArmMetrics, IReadOnlyDictionary<string, ModelPrice>, double?> value) =>
        [.. report.Design.Arms.Select(arm => new ChartSeries(arm.Version, [.. report.History
            .Select(look => (look.At, Value: value(ArmAt(look, arm.Version), report.Prices)))
            .Where(p => p.Value is not null)
            .Select(p => new ChartPoint(p.At, p.Value!.Value))]))];

    private static ArmMetrics ArmAt(ExperimentSnapshot look, string arm) => look.Arms.FirstOrDefault(m => m.Arm == arm) ?? ArmMetrics.Empty(arm);

    /// <summary>The Wilson score interval: unlike p ± z·se it stays inside [0, 1] and is honest at small counts.</summary>
    internal static ChartPoint Wilson(DateTimeOffset at, ShareCount count, double z)
    {
        double n = count.Total, p = count.Share, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new(at, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    private static void Figure(StringBuilder html, LineChart chart, string caption) =>
        html.Append(CultureInfo.InvariantCulture, $"<figure>{SvgChart.Render(chart)}<figcaption>{E(caption)}</figcaption></figure>");

    private static void Term(StringBuilder html, string term, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<dt>{E(term)}</dt><dd>{E(value)}</dd>");

    private static void Row(StringBuilder html, string metric, IReadOnlyList<ArmReport> arms, Func<ArmReport, string> value)
    {
        html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(metric)}</th>");
        foreach (var arm in arms)
            html.Append(CultureInfo.InvariantCulture, $"<td>{E(value(arm))}</td>");
        html.Append("</tr>");
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Share(ShareCount count) =>
        count.Total == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{count.Share:0%} ({count.Successes} of {count.Total})");

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Rate(double? rate) => rate is { } r ? r.ToString("0.#%", CultureInfo.InvariantCulture) : "–";

    private static string Maybe(double? value, Func<double, string> format) => value is { } v ? format(v) : "–";

    private static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);

    private static string Money(double amount) => amount.ToString("$0.0000", CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => seconds.ToString("0.0# s", CultureInfo.InvariantCulture);
}
