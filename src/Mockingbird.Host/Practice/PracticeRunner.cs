using System.Text;
using System.Text.RegularExpressions;
using Mockingbird.Host.Rendering;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Host.Practice;

/// <summary>
/// Runs a mock interview in the terminal. An answer is every line up to a line holding only <c>.</c> (or the end of
/// input); a line starting with <c>/</c> on its own is a command. Works the same typed or piped.
/// </summary>
public sealed partial class PracticeRunner(InterviewService service)
{
    public const string CandidateId = "local";

    public const string Instructions =
        "Answer over as many lines as you like, then finish with a line holding only '.'." + "\n" +
        "Commands: /hint  /skip  /repeat  /followup  /end  /help";

    /// <summary>What each command does, on its own line, for <c>/help</c>.</summary>
    public const string Help =
        "Answer over as many lines as you like, then finish with a line holding only '.'. A command goes on a line of its own, even mid-answer:" + "\n" +
        "  /hint      a nudge towards what a strong answer covers (two per question)" + "\n" +
        "  /skip      move on to the next question; a skipped question scores 1 of 4" + "\n" +
        "  /repeat    show the question on screen again" + "\n" +
        "  /followup  a follow-up question on the answer you just gave" + "\n" +
        "  /end       finish now: an answer you were writing is judged, then the scorecard (no verdict if questions are left)" + "\n" +
        "  /help      this list";

    /// <param name="prompt">Show <c>&gt; </c> before each line read: for someone typing, so the terminal says it waits for them.</param>
    public async Task<int> RunAsync(InterviewOptions options, ulong seed, TextReader input, TextWriter output, bool prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var started = await service.StartAsync(CandidateId, options, seed, cancellationToken);
        await WriteAsync(output, started);
        if (!started.OfType<PostQuestion>().Any())
        {
            return 1;
        }

        await output.WriteLineAsync(Instructions);
        var answer = new StringBuilder();
        while (true)
        {
            if (prompt)
            {
                await output.WriteAsync("> ");
                await output.FlushAsync(cancellationToken);
            }

            var line = await input.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                // End of input: an unfinished answer still counts (blank lines are no answer, and there is no one left
                // to tell so), then the interview ends with its scorecard.
                if (HasText(answer) && await SendAsync(new AnswerSubmitted(answer.ToString()), output, cancellationToken))
                {
                    return 0;
                }

                await SendAsync(new EndRequested(), output, cancellationToken);
                return 0;
            }

            // A command acts even mid-answer. /end first submits the draft (nothing typed is lost); /skip and
            // /followup change the question on screen, so the draft is dropped, and said to be; the rest keep it.
            if (CommandShape().IsMatch(line))
            {
                var command = Command(line.Trim());
                if (command is null)
                {
                    await output.WriteLineAsync(line.Trim() == "/help" ? Help : $"» Unknown command '{line.Trim()}'. {Instructions}");
                    continue;
                }

                if (HasText(answer) && command is EndRequested)
                {
                    var draft = answer.ToString();
                    answer.Clear();
                    if (await SendAsync(new AnswerSubmitted(draft), output, cancellationToken))
                    {
                        return 0;
                    }
                }
                else if (answer.Length > 0 && command is SkipRequested or FollowUpRequested)
                {
                    answer.Clear();
                    await output.WriteLineAsync("» Your unfinished answer was dropped.");
                }

                if (await SendAsync(command, output, cancellationToken))
                {
                    return 0;
                }

                continue;
            }

            if (line.Trim() == ".")
            {
                if (await SendAsync(new AnswerSubmitted(answer.ToString()), output, cancellationToken))
                {
                    return 0;
                }

                answer.Clear();
                continue;
            }

            answer.AppendLine(line);
        }
    }

    private static bool HasText(StringBuilder answer) => !string.IsNullOrWhiteSpace(answer.ToString());

    // "/hint" is a command; "// a code comment" or "/usr/bin" in an answer is not.
    [GeneratedRegex(@"^\s*/[a-z-]+\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex CommandShape();

    private static InterviewInput? Command(string text) => text.ToLowerInvariant() switch
    {
        "/hint" => new HintRequested(),
        "/skip" => new SkipRequested(),
        "/repeat" => new RepeatRequested(),
        "/followup" or "/follow-up" => new FollowUpRequested(),
        "/end" => new EndRequested(),
        "/resume" => new ResumeRequested(),
        _ => null,
    };

    /// <summary>Sends an input and prints what follows; true once the scorecard is out.</summary>
    private async Task<bool> SendAsync(InterviewInput input, TextWriter output, CancellationToken cancellationToken)
    {
        var actions = await service.HandleAsync(CandidateId, input, cancellationToken);
        await WriteAsync(output, actions);
        return actions.OfType<PostScorecard>().Any();
    }

    private static async Task WriteAsync(TextWriter output, IEnumerable<InterviewAction> actions)
    {
        foreach (var text in actions.Select(TextRenderer.Render).Where(t => t.Length > 0))
        {
            await output.WriteLineAsync(text);
            await output.WriteLineAsync();
        }
    }
}
