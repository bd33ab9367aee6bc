using Mockingbird.Chat.Progress;
using Mockingbird.Host.Cli;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Moq;

namespace Mockingbird.Host.Tests;

// With the other CLI tests: this one clears the Redis settings from the environment while it runs.
[Collection(nameof(CliTests))]
public sealed class HistoryCliTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task History_prints_the_same_summary_the_chat_replies_with_for_that_candidate_only()
    {
        List<HistoryEntry> history =
        [
            Entry(Start.AddDays(14), 3.0),
            Entry(Start.AddDays(7), 2.5),
            Entry(Start, 2.0),
        ];
        var store = new Mock<ISessionStore>(MockBehavior.Strict);
        store.Setup(s => s.HistoryAsync("discord:42", It.IsAny<CancellationToken>())).ReturnsAsync(history);
        using var output = new StringWriter();

        var exit = await MockingbirdCli.PrintHistoryAsync(store.Object, "discord:42", new CliStreams(TextReader.Null, output, TextWriter.Null), default);

        Assert.Equal(0, exit);
        Assert.Equal(ProgressSummary.Text(history), output.ToString().TrimEnd());
        Assert.Contains("improving (overall 2.0 → 2.5 → 3.0; about +1.0 over them)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_without_the_bots_redis_says_where_histories_are_kept_and_fails()
    {
        var saved = (Environment.GetEnvironmentVariable("MOCKINGBIRD_Redis__Configuration"), Environment.GetEnvironmentVariable("MOCKINGBIRD_ConnectionStrings__Redis"));
        Environment.SetEnvironmentVariable("MOCKINGBIRD_Redis__Configuration", null);
        Environment.SetEnvironmentVariable("MOCKINGBIRD_ConnectionStrings__Redis", null);
        try
        {
            using var error = new StringWriter();
            var exit = await MockingbirdCli.RunAsync(["history", "discord:42"], new CliStreams(TextReader.Null, TextWriter.Null, error));

            Assert.Equal(1, exit);
            Assert.Contains("Histories are kept in the bot's Redis", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MOCKINGBIRD_Redis__Configuration", saved.Item1);
            Environment.SetEnvironmentVariable("MOCKINGBIRD_ConnectionStrings__Redis", saved.Item2);
        }
    }

    private static HistoryEntry Entry(DateTimeOffset at, double overall) =>
        new(at, $"s-{at:yyyyMMdd}", InterviewPlan.Theory, overall, [new StageScore(Stage.Theory, overall)], [], [], [new DimensionAverage("depth", overall)]);
}
