using System.Diagnostics;
using System.Text.RegularExpressions;
using Mockingbird.Testing;

namespace Mockingbird.Host.Tests;

/// <summary>The practice command as a user runs it: the real executable, answers piped into its standard input.</summary>
[Collection(nameof(CliTests))]
public sealed partial class PracticeProcessTests
{
    private static async Task<(int Exit, string Out, string Error)> RunHost(string stdin, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mockingbird.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2), TimeProvider.System);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task A_full_interview_runs_from_piped_input_to_the_scorecard_using_the_bank_shipped_with_the_app()
    {
        var answer = "I owned the retraining pipeline, and I decided to roll back first because users were affected, which cut the error rate by 30%.\n.\n";
        var script = string.Concat(
            "/hint\n",
            answer,
            "/skip\n",
            "/repeat\n",
            answer,
            "/followup\n",
            answer,
            "/bogus\n",
            answer, answer, answer, answer, answer, answer, answer);
        var emptyDirectory = Directory.CreateTempSubdirectory("practice-").FullName;

        var (exit, output, error) = await RunHost(script, emptyDirectory, "practice", "full", "--seed", "2026");

        Assert.True(exit == 0, error);
        Assert.Contains("=== Mock interview: full", output, StringComparison.Ordinal);
        Assert.Contains("Hint 1/2:", output, StringComparison.Ordinal);
        Assert.Contains("» Skipped question 2.", output, StringComparison.Ordinal);
        Assert.Contains("(again)", output, StringComparison.Ordinal);
        Assert.Contains("Follow-up 1 on question 3", output, StringComparison.Ordinal);
        Assert.Contains("» Unknown command '/bogus'", output, StringComparison.Ordinal);
        Assert.Contains("=== Scorecard ===", output, StringComparison.Ordinal);
        Assert.Matches(OverallLine(), output);
        Assert.Equal(7, QuestionHeader().Matches(output).Select(m => m.Groups[1].Value).Distinct().Count());
        Directory.Delete(emptyDirectory);
    }

    [Fact]
    public async Task Input_that_ends_mid_interview_still_judges_the_last_answer_and_prints_the_scorecard()
    {
        var (exit, output, error) = await RunHost("My only answer, with no closing dot, because input just ends.", RepositoryPaths.Root, "practice", "theory", "--questions", "3", "--seed", "4");

        Assert.True(exit == 0, error);
        Assert.Contains("Feedback on question 1", output, StringComparison.Ordinal);
        Assert.Contains("=== Scorecard ===", output, StringComparison.Ordinal);
        Assert.Contains("1 answered, 0 skipped, 2 not answered", output, StringComparison.Ordinal);
        Assert.Contains("no verdict on an interview ended early", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"--- Question (\d) of 7 ·")]
    private static partial Regex QuestionHeader();

    [GeneratedRegex(@"Overall: \d\.\d/4 · (strong no hire|no hire|lean no hire|lean hire|hire|strong hire)")]
    private static partial Regex OverallLine();
}
