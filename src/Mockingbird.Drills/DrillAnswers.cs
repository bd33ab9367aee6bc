using System.Globalization;
using Microsoft.Extensions.Logging;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Drills;

/// <summary>
/// Takes a candidate's answer to a drill from its form: kept and queued for judging in one step, so a submission
/// retried (a double click, a platform's redelivery) is judged once. Whatever cannot be taken goes back to its author.
/// </summary>
public sealed partial class DrillAnswers(DrillPlans plans, IDrillStore store, ILogger<DrillAnswers> logger)
{
    /// <summary>Drill answers are held to an interview answer's limit, so the answer form is the same.</summary>
    public static readonly int MaxCharacters = new InterviewRules().MaxAnswerCharacters;

    public const string NotYours = "That drill was sent to someone else: drills are each candidate's own. Nothing was recorded.";

    public const string Taken = "Got it: your answer is being judged, and the feedback comes by direct message in a moment.";

    public const string TakenBefore = "Your answer to this drill was received already and is judged once; its feedback comes by direct message.";

    /// <summary>
    /// Takes <paramref name="candidateId"/>'s answer to drill <paramref name="drillId"/>, which was sent to
    /// <paramref name="ownerId"/> (the drill's button names its candidate). Returns the reply, for the candidate alone.
    /// </summary>
    public async Task<string> SubmitAsync(string candidateId, string ownerId, string drillId, string text, Func<string, string> quote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(quote);
        if (!string.Equals(candidateId, ownerId, StringComparison.Ordinal))
        {
            return NotYours;
        }

        var answer = (text ?? string.Empty).Trim();
        if (answer.Length == 0)
        {
            return "An empty answer can't be judged. Nothing was recorded: press Answer again and write a few sentences.";
        }

        if (answer.Length > MaxCharacters)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Your answer is {answer.Length:N0} characters; the limit is {MaxCharacters:N0}. Nothing was recorded. Shorten it and send it again; here it is:\n{quote(answer)}");
        }

        try
        {
            var sent = (await plans.FindAsync(candidateId, cancellationToken))?.Sent.FirstOrDefault(s => s.DrillId == drillId);
            if (sent is null)
            {
                return $"That drill is no longer known (drills were forgotten, or it is too old), so your answer was not recorded. Here it is:\n{quote(answer)}";
            }

            if (sent.Answered)
            {
                return TakenBefore;
            }

            return await store.SubmitAnswerAsync(candidateId, drillId, answer, DrillAnswerJudging.JobFor(candidateId, drillId), cancellationToken)
                ? Taken
                : TakenBefore;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.AnswerNotTaken(logger, ex.GetType().Name);
            return $"I couldn't save your answer just now (our storage did not answer), so it was not recorded. Here it is; send it again in a minute:\n{quote(answer)}";
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A drill answer could not be taken ({ErrorType}); it was handed back to its author")]
        public static partial void AnswerNotTaken(ILogger logger, string errorType);
    }
}
