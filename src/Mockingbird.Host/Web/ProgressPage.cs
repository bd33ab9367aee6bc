using System.Globalization;
using System.Text;
using Mockingbird.Chat.Progress;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using static Mockingbird.Host.Web.HtmlPage;

namespace Mockingbird.Host.Web;

/// <summary>
/// One candidate's completed interviews: scores per stage, per rubric dimension and per topic over time (the same
/// series the chat's chart draws), and the last interviews.
/// </summary>
internal static class ProgressPage
{
    public const int TopicsCharted = ProgressSeries.LinesPerChart;

    public const int InterviewsListed = 10;

    public static string Render(IReadOnlyList<HistoryEntry> history, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(history);
        var oldestFirst = history.OrderBy(h => h.CompletedAt).ToList();
        var progress = ProgressSeries.From(history);
        var body = new StringBuilder("<main id=\"main\"><h1>Your progress</h1>");
        if (oldestFirst.Count == 0)
        {
            body.Append("<p>No completed interviews yet. Start one with <code>/mock start</code>; your scores appear here once it is finished.</p>");
        }
        else
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>{oldestFirst.Count} completed interview{(oldestFirst.Count == 1 ? string.Empty : "s")}, scored from 1 (weak) to 4 (strong).</p>");
            body.Append("<section aria-labelledby=\"stages\"><h2 id=\"stages\">Scores per stage</h2>");
            Figure(body, new LineChart("stage-chart", "Score per stage over time", Lines(progress.Stages), Score, 0, 4),
                "Each point is one interview's average score in that stage.");
            body.Append("</section>");

            body.Append("<section aria-labelledby=\"dimensions\"><h2 id=\"dimensions\">Scores per rubric dimension</h2>");
            Figure(body, new LineChart("dimension-chart", "Score per rubric dimension over time", Lines(progress.Dimensions), Score, 0, 4),
                $"The {TopicsCharted} rubric dimensions you were judged on most, such as coverage, trade-offs or serving; each point is one interview's average on it.");
            body.Append("</section>");

            var topics = Lines(progress.Topics);
            body.Append("<section aria-labelledby=\"topics\"><h2 id=\"topics\">Scores per topic</h2>");
            Figure(body, new LineChart("topic-chart", "Score per topic over time", topics, Score, 0, 4),
                $"The {TopicsCharted} topics you were asked about most; each point is one interview's score on it.");
            body.Append("</section>");

            AppendLastInterviews(body, history.OrderByDescending(h => h.CompletedAt).Take(InterviewsListed).ToList());
        }

        body.Append("</main>");
        body.Append(CultureInfo.InvariantCulture, $"<footer><p>As of {now.UtcDateTime:yyyy-MM-dd HH:mm} UTC. Only you can open this page, through the link the bot sent you; it expires. <code>/mock forget-me</code> deletes this history.</p></footer>");
        return Document("Your progress", body.ToString());
    }

    private static List<ChartSeries> Lines(IReadOnlyList<ScoreLine> lines) =>
        [.. lines.Select(line => new ChartSeries(line.Name, [.. line.Points.Select(p => new ChartPoint(p.At, p.Score))]))];

    private static void AppendLastInterviews(StringBuilder html, List<HistoryEntry> newestFirst)
    {
        html.Append("<section aria-labelledby=\"last\"><h2 id=\"last\">Last interviews</h2><div class=\"scroll\"><table>");
        html.Append(CultureInfo.InvariantCulture, $"<caption>Your last {newestFirst.Count} interview{(newestFirst.Count == 1 ? string.Empty : "s")}, newest first</caption>");
        html.Append("<thead><tr><th scope=\"col\">Finished (UTC)</th><th scope=\"col\">Plan</th><th scope=\"col\">Overall</th><th scope=\"col\">Stages</th><th scope=\"col\">Topics to work on</th></tr></thead><tbody>");
        foreach (var entry in newestFirst)
        {
            var stages = string.Join(", ", entry.Stages.Select(s => $"{s.Stage.Title()} {Score(s.Score)}"));
            var weakest = string.Join(", ", entry.Topics.OrderBy(t => t.Score).ThenBy(t => t.Topic, StringComparer.Ordinal).Take(2).Select(t => $"{t.Topic} {Score(t.Score)}"));
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{entry.CompletedAt.UtcDateTime:yyyy-MM-dd HH:mm}</th><td>{E(entry.Plan.ToWire())}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{(entry.Overall is { } overall ? Score(overall) + " / 4" + (entry.EndedEarly ? " (ended early)" : string.Empty) : "not enough answers")}</td><td>{E(stages)}</td><td>{E(weakest.Length == 0 ? "–" : weakest)}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
    }

    private static void Figure(StringBuilder html, LineChart chart, string caption) =>
        html.Append(CultureInfo.InvariantCulture, $"<figure>{SvgChart.Render(chart)}<figcaption>{E(caption)}</figcaption></figure>");

    private static string Score(double score) => score.ToString("0.0", CultureInfo.InvariantCulture);
}
