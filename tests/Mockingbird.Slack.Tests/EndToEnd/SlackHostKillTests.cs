using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.EndToEnd;

/// <summary>
/// The bot as users run it, processes of their own on one Redis. One is killed with SIGKILL at the worst moment: after
/// Slack accepted a feedback post and before the bot heard so and recorded it. Slack has no idempotency key, so only
/// the bot's own record of what it posted (the part's metadata, read back from the thread) keeps the restarted bot
/// from posting the feedback again. Two others take a candidate's answers in turn, as replicas behind one Request URL
/// do, each deciding on the session it last wrote unless the other has written since.
/// </summary>
public sealed partial class SlackHostKillTests : IAsyncLifetime
{
    private const string BotToken = "xoxb-kill-test-bot-token-never-logged";
    private const string SigningSecret = "kill-test-signing-secret-never-logged";
    private const string Channel = SlackEvents.Channel;
    private const string Candidate = SlackEvents.Candidate;

    private const string DesignAnswer =
        "First I would scope the problem: clarify requirements, the users, latency targets and the business metric. " +
        "For data I would log impressions and clicks, build labels, and watch for leakage and skew between training and serving. " +
        "Serving runs behind a feature store with a cache, and I would monitor drift, latency and cost, evaluate offline with NDCG and online with an A/B test.";

    private readonly List<BotProcess> _processes = [];
    private readonly string _keyPrefix = "kill" + Guid.NewGuid().ToString("N")[..8];
    private RedisServer _redis = null!;
    private FakeSlackWebApi _web = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _web = await FakeSlackWebApi.StartAsync(BotToken, "xapp-kill-test-unused");
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await _web.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_host_killed_after_slack_took_its_feedback_post_is_restarted_and_posts_that_feedback_once()
    {
        var (first, url) = await StartBotAsync();
        using var http = new HttpClient { BaseAddress = url };
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(http, Form(SlackEvents.Command("start system-design 1")), "application/x-www-form-urlencoded")).StatusCode);
        var parent = await Poll.ForAsync(() => _web.Messages(Channel).FirstOrDefault(m => m.ThreadTs is null)?.Ts, "the interview's parent message", TimeSpan.FromSeconds(20));
        await Poll.UntilAsync(() => InThread(parent, "Question 1 of 1"), "the first question", TimeSpan.FromSeconds(20));

        var taken = _web.HoldAnswerAfterAccepting("chat.postMessage", body => body.Contains("Feedback on question 1", StringComparison.Ordinal));
        var answered = await PostSignedAsync(http, SlackEvents.Reply(Channel, parent, Candidate, DesignAnswer).ToJsonString(), "application/json");
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        await taken.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        await first.KillAsync();

        await StartBotAsync();
        await Poll.UntilAsync(() => InThread(parent, "Follow-up 1 on question 1"), "the restarted bot to post the rest of the feedback", TimeSpan.FromSeconds(60));

        Assert.Equal(1, Count(parent, "Feedback on question 1"));
        var bodies = _web.Thread(Channel, parent).Select(m => m.Blocks?.ToJsonString() ?? m.Text).ToList();
        Assert.Equal(bodies.Count, bodies.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(_web.RequestLog, r => r.Method == "conversations.replies");
        Assert.Empty(_web.Violations);
        Assert.All(_processes, p => Assert.DoesNotContain(BotToken, p.Output, StringComparison.Ordinal));
        Assert.All(_processes, p => Assert.DoesNotContain(SigningSecret, p.Output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_interview_whose_answers_reach_two_bot_processes_in_turn_gets_each_answers_feedback_once_in_order_and_one_scorecard()
    {
        var (_, firstUrl) = await StartBotAsync();
        var (_, secondUrl) = await StartBotAsync();
        using var first = new HttpClient { BaseAddress = firstUrl };
        using var second = new HttpClient { BaseAddress = secondUrl };
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(first, Form(SlackEvents.Command("start system-design 2")), "application/x-www-form-urlencoded")).StatusCode);
        var parent = await Poll.ForAsync(() => _web.Messages(Channel).FirstOrDefault(m => m.ThreadTs is null)?.Ts, "the interview's parent message", TimeSpan.FromSeconds(20));
        await Poll.UntilAsync(() => InThread(parent, "Question 1 of 2"), "the first question", TimeSpan.FromSeconds(20));

        var answers = 0;
        while (!InThread(parent, "Scorecard"))
        {
            Assert.InRange(answers, 0, 11);
            var to = answers % 2 == 0 ? second : first;
            Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(to, SlackEvents.Reply(Channel, parent, Candidate, $"{DesignAnswer} (answer {answers + 1})").ToJsonString(), "application/json")).StatusCode);
            answers++;
            await Poll.UntilAsync(
                () => Titles(parent, FeedbackTitle()).Count >= answers && (Titles(parent, PromptTitle()).Count > answers || InThread(parent, "Scorecard")),
                $"the feedback on answer {answers} and what comes after it",
                TimeSpan.FromSeconds(30));
        }

        var titles = Titles(parent, FeedbackTitle());
        Assert.InRange(answers, 3, 12);
        Assert.Equal(answers, titles.Count);
        Assert.Equal(titles.Count, titles.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["Feedback on question 1", "Feedback on question 2"], titles.Where(t => t.StartsWith("Feedback on question", StringComparison.Ordinal)));
        Assert.Equal(1, Count(parent, "Scorecard"));
        Assert.Equal(0, Count(parent, "no interview in progress"));
        Assert.Empty(_web.Violations);
    }

    private async Task<(BotProcess Process, Uri Url)> StartBotAsync()
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}/");
        var process = BotProcess.Start("slack", Settings(), url.ToString().TrimEnd('/'));
        _processes.Add(process);
        using var probe = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The bot exited at start-up:\n{process.Output}");
                }

                try
                {
                    return (await probe.GetAsync(new Uri("healthz", UriKind.Relative))).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "the bot process to answer /healthz",
            TimeSpan.FromSeconds(60));
        return (process, url);
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["Slack:BotToken"] = BotToken,
        ["Slack:SigningSecret"] = SigningSecret,
        ["Slack:Transport"] = "Http",
        ["Slack:ApiBaseUrl"] = _web.ApiBaseUrl.ToString(),
        ["Slack:Web:PostMessageInterval"] = "00:00:00.020",
        ["Redis:Configuration"] = _redis.Endpoint,
        ["Redis:KeyPrefix"] = _keyPrefix,
        ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        ["Judging:Sweep"] = "00:00:00.050",

        // Recovery waits for the reclaim timeout; a short one keeps the test quick.
        ["Sessions:ReclaimAfter"] = "00:00:03",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool InThread(string parent, string text) => Count(parent, text) > 0;

    /// <summary>The title each message of the thread that has one of this kind starts with, in the order posted.</summary>
    private List<string> Titles(string parent, Regex title) =>
        [.. _web.Thread(Channel, parent).Select(m => title.Match(m.Blocks?.ToJsonString() ?? m.Text)).Where(m => m.Success).Select(m => m.Value)];

    [GeneratedRegex(@"Feedback on (question \d+|follow-up \d+ to question \d+)")]
    private static partial Regex FeedbackTitle();

    [GeneratedRegex(@"Question \d+ of \d+|Follow-up \d+ on question \d+")]
    private static partial Regex PromptTitle();

    private int Count(string parent, string text) =>
        _web.Thread(Channel, parent).Count(m => (m.Blocks?.ToJsonString() ?? m.Text).Contains(text, StringComparison.Ordinal));

    private static async Task<HttpResponseMessage> PostSignedAsync(HttpClient http, string body, string contentType)
    {
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningSecret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "slack/events") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", "v0=" + Convert.ToHexString(mac).ToLowerInvariant());
        return await http.SendAsync(request);
    }

    private static string Form(JsonObject fields) =>
        string.Join("&", fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value?.GetValue<string>() ?? string.Empty)}"));
}
